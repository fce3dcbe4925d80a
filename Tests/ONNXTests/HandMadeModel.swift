import CProtobufONNX
import SpecLang
import TensorCore
@testable import ONNX

/// A small ONNX model written field by field, so a test can make files graphsmith's exporter never would: any
/// opset (or none), repeated names, declared output types that contradict the graph.
struct HandMadeModel {
    struct NodeSpec {
        var op: String
        var inputs: [String]
        var outputs: [String]
        /// Integer attributes only: enough for the small models these tests need.
        var ints: [(String, Int)] = []
        /// Other attributes, as export writes a mapping value (vectors INTS, names STRING, reals FLOAT).
        var values: [(String, Value)] = []
        /// TENSOR attributes (a Constant's or ConstantOfShape's `value`).
        var tensors: [(String, Tensor)] = []
    }

    /// The default-domain opset; nil writes no opset import for it.
    var opset: Int? = 13
    /// More opset imports after it, as (domain, version).
    var moreOpsets: [(String, Int)] = []
    var inputs: [(String, TensorType)] = []
    var initializers: [(String, Tensor)] = []
    var nodes: [NodeSpec] = []
    var outputs: [(String, TensorType)] = []
    /// Input dims written as a symbol (`dim_param`) or left without a size (nil): (input, dim, symbol).
    var dynamicDims: [(Int, Int, String?)] = []

    /// The serialized `ModelProto`.
    func bytes() throws -> [UInt8] {
        let arena = ProtoArena()
        let graph: UnsafeMutablePointer<Onnx__GraphProto> = arena.message(onnx__graph_proto__init)
        graph.pointee.name = arena.string("hand-made")
        let nodeMessages = try nodes.map { try message($0, arena) }
        Exporter.set(&graph.pointee.node, &graph.pointee.n_node, nodeMessages, arena)
        Exporter.set(&graph.pointee.initializer, &graph.pointee.n_initializer,
                     initializers.map { TensorProtoCodec.message($0.1, name: $0.0, arena) }, arena)
        let inputInfos = inputs.map { Exporter.valueInfo($0.0, $0.1, arena) }
        for (input, dim, symbol) in dynamicDims {
            let d = inputInfos[input].pointee.type!.pointee.tensor_type!.pointee.shape!.pointee.dim[dim]!
            d.pointee.value_case = symbol == nil ? ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE__NOT_SET : ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
            d.pointee.dim_param = symbol.map { arena.string($0) }
        }
        Exporter.set(&graph.pointee.input, &graph.pointee.n_input, inputInfos, arena)
        Exporter.set(&graph.pointee.output, &graph.pointee.n_output, outputs.map { Exporter.valueInfo($0.0, $0.1, arena) }, arena)
        let proto: UnsafeMutablePointer<Onnx__ModelProto> = arena.message(onnx__model_proto__init)
        proto.pointee.has_ir_version = 1
        proto.pointee.ir_version = 8
        let imports = (opset.map { [("", $0)] } ?? []) + moreOpsets
        let ids: [UnsafeMutablePointer<Onnx__OperatorSetIdProto>] = imports.map { domain, version in
            let id: UnsafeMutablePointer<Onnx__OperatorSetIdProto> = arena.message(onnx__operator_set_id_proto__init)
            id.pointee.domain = arena.string(domain)
            id.pointee.has_version = 1
            id.pointee.version = Int64(version)
            return id
        }
        Exporter.set(&proto.pointee.opset_import, &proto.pointee.n_opset_import, ids, arena)
        proto.pointee.graph = graph
        var out = [UInt8](repeating: 0, count: onnx__model_proto__get_packed_size(proto))
        out.withUnsafeMutableBufferPointer { _ = onnx__model_proto__pack(proto, $0.baseAddress) }
        return out
    }

    private func message(_ node: NodeSpec, _ arena: ProtoArena) throws -> UnsafeMutablePointer<Onnx__NodeProto> {
        let n: UnsafeMutablePointer<Onnx__NodeProto> = arena.message(onnx__node_proto__init)
        n.pointee.op_type = arena.string(node.op)
        n.pointee.n_input = node.inputs.count
        n.pointee.input = arena.array(node.inputs.map { Optional(arena.string($0)) })
        n.pointee.n_output = node.outputs.count
        n.pointee.output = arena.array(node.outputs.map { Optional(arena.string($0)) })
        var attributes = try node.ints.map { try Exporter.attribute($0.0, .int($0.1), arena) }
        attributes += try node.values.map { try Exporter.attribute($0.0, $0.1, arena) }
        attributes += node.tensors.map { name, tensor in
            let a: UnsafeMutablePointer<Onnx__AttributeProto> = arena.message(onnx__attribute_proto__init)
            a.pointee.name = arena.string(name)
            a.pointee.has_type = 1
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
            a.pointee.t = TensorProtoCodec.message(tensor, name: "", arena)
            return a
        }
        Exporter.set(&n.pointee.attribute, &n.pointee.n_attribute, attributes, arena)
        return n
    }
}
