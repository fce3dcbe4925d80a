import CProtobufONNX
import Foundation
import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Writes models as ONNX, driven by each spec's `onnx` mapping; no per-operator code.
public enum Exporter {
    /// The serialized `ModelProto` of `model` at `opset(model:…)`, each node taking the first `onnx` line of its spec
    /// that maps its instance (the lowest opset that expresses it).
    public static func export(_ model: Model, library: SpecLibrary, name: String = "graphsmith", minimumOpset: Int = 1) throws -> [UInt8] {
        let instances = try Verifier.verify(model, library: library)
        let arena = ProtoArena()
        var initializers: [UnsafeMutablePointer<Onnx__TensorProto>] = model.weights.map {
            TensorProtoCodec.message($0.value, name: $0.name, arena)
        }
        var nodes: [UnsafeMutablePointer<Onnx__NodeProto>] = []
        let opset = try Self.opset(model, library: library, minimumOpset: minimumOpset)
        for (k, (node, instance)) in zip(model.nodes, instances).enumerated() {
            guard let mapping = try instance.onnxMapping() else { throw OnnxError("node \(k): operator '\(node.op)' has no ONNX mapping") }
            let (proto, constants) = try nodeMessage(node, instance, mapping, index: k, arena)
            nodes.append(proto)
            initializers += constants
        }
        if let why = try opsetConflict(model, library: library, opset: opset) { throw OnnxError(why) }
        let types = model.valueTypes
        let graph: UnsafeMutablePointer<Onnx__GraphProto> = arena.message(onnx__graph_proto__init)
        graph.pointee.name = arena.string(name)
        set(&graph.pointee.node, &graph.pointee.n_node, nodes, arena)
        set(&graph.pointee.initializer, &graph.pointee.n_initializer, initializers, arena)
        set(&graph.pointee.input, &graph.pointee.n_input, model.inputs.map { valueInfo($0.name, $0.type, arena) }, arena)
        set(&graph.pointee.output, &graph.pointee.n_output, model.outputs.map { valueInfo($0, types[$0]!, arena) }, arena)
        let outputs = Set(model.outputs)
        let inner = model.nodes.flatMap(\.outputs).filter { !outputs.contains($0.name) }
        set(&graph.pointee.value_info, &graph.pointee.n_value_info, inner.map { valueInfo($0.name, $0.type, arena) }, arena)

        let proto: UnsafeMutablePointer<Onnx__ModelProto> = arena.message(onnx__model_proto__init)
        proto.pointee.has_ir_version = 1
        proto.pointee.ir_version = irVersion(forOpset: opset)
        let opsetID: UnsafeMutablePointer<Onnx__OperatorSetIdProto> = arena.message(onnx__operator_set_id_proto__init)
        opsetID.pointee.domain = arena.string("")
        opsetID.pointee.has_version = 1
        opsetID.pointee.version = Int64(opset)
        set(&proto.pointee.opset_import, &proto.pointee.n_opset_import, [opsetID], arena)
        proto.pointee.producer_name = arena.string("graphsmith")
        proto.pointee.graph = graph
        let size = onnx__model_proto__get_packed_size(proto)
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBufferPointer { _ = onnx__model_proto__pack(proto, $0.baseAddress) }
        return out
    }

    /// The opset `export` gives `model`: the highest of `minimumOpset` and the opsets its nodes' lines are written at,
    /// or, when a node's operator no longer exists there, the newest opset every node's `same` range holds.
    public static func opset(_ model: Model, library: SpecLibrary, minimumOpset: Int = 1) throws -> Int {
        let instances = try Verifier.verify(model, library: library)
        let ranges = try zip(model.nodes, instances).map { node, instance -> (written: Int, range: OpsetRange) in
            guard let mapping = try instance.onnxMapping() else { throw OnnxError("operator '\(node.op)' has no ONNX mapping") }
            let typed = typedOpsets(mapping, instance)
            return (max(mapping.opset, typed.lowest), typed)
        }
        let preferred = ranges.reduce(minimumOpset) { max($0, $1.written) }
        if ranges.allSatisfy({ $0.range.contains(preferred) }) { return preferred }
        // A node whose operator ended before `preferred` (Upsample at 7..9 beside Relu, written at 14 but the same
        // from 6): the newest opset every node's range holds, when there is one; else `opsetConflict` names the node.
        let low = ranges.reduce(minimumOpset) { max($0, $1.range.lowest) }
        let high = ranges.reduce(OpsetRange.newestOnnxOpset) { min($0, $1.range.highest ?? OpsetRange.newestOnnxOpset) }
        return low <= high ? high : preferred
    }

    /// Why `model` cannot be written at `opset`: a node whose ONNX operator means something else there or no longer
    /// exists (Upsample ends at opset 9, so it cannot share a model with an operator first written at 10); nil when
    /// every node's `same` range holds `opset`.
    public static func opsetConflict(_ model: Model, library: SpecLibrary, opset: Int) throws -> String? {
        let instances = try Verifier.verify(model, library: library)
        for (k, (node, instance)) in zip(model.nodes, instances).enumerated() {
            guard let mapping = try instance.onnxMapping(), !typedOpsets(mapping, instance).contains(opset) else { continue }
            if !mapping.acceptedOpsets.contains(opset) {
                return "node \(k) (\(node.op)) is ONNX \(mapping.opType) at opsets \(mapping.acceptedOpsets) only, but the model "
                    + "needs opset \(opset)"
            }
            let (dtype, since) = dtypeNeed(mapping.opType, instance)
            return "node \(k) (\(node.op)) is ONNX \(mapping.opType) on \(dtype?.rawValue ?? "its dtypes"), which ONNX allows from opset \(since), "
                + "but the model needs opset \(opset)"
        }
        return nil
    }

    /// The opsets at which `mapping` writes `instance`: its `same` range, from no lower than the opset from which the
    /// ONNX operator takes every dtype the instance has (`OnnxDTypeOpsets`): `same 7..` is Equal's meaning, but Equal
    /// takes float only from 11.
    static func typedOpsets(_ mapping: OnnxMapping, _ instance: OpInstance) -> OpsetRange {
        var range = mapping.acceptedOpsets
        range.lowest = max(range.lowest, dtypeNeed(mapping.opType, instance).since)
        return range
    }

    /// The instance's dtype that the ONNX operator takes latest, and the opset from which it does (1 when none is
    /// later; a dtype the operator never takes sets no bound: such a node is the runtime's to refuse).
    static func dtypeNeed(_ opType: String, _ instance: OpInstance) -> (dtype: DType?, since: Int) {
        let table = OnnxDTypeOpsets.since[opType] ?? [:]
        var need: (dtype: DType?, since: Int) = (nil, 1)
        for type in instance.inputTypes + instance.outputTypes {
            if let v = table[type.dtype], v > need.since { need = (type.dtype, v) }
        }
        return need
    }

    /// Writes `model` to an `.onnx` file atomically; a path the user named, so a link is followed and a device or FIFO
    /// written in place (see `OutputFile.write`).
    public static func write(_ model: Model, library: SpecLibrary, path: String, minimumOpset: Int = 1) throws {
        try OutputFile.write(Data(export(model, library: library, minimumOpset: minimumOpset)), to: path)
    }

    /// The lowest ONNX IR version that allows `opset` (so older runtimes can still load the file).
    static func irVersion(forOpset opset: Int) -> Int64 {
        switch opset {
        case ...8: return 4
        case ...12: return 7
        case ...18: return 8
        case ...20: return 9
        default: return 10
        }
    }

    static func set<T>(_ field: inout UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ count: inout Int,
                       _ items: [UnsafeMutablePointer<T>], _ arena: ProtoArena) {
        count = items.count
        field = arena.array(items.map { Optional($0) })
    }

    static func valueInfo(_ name: String, _ type: TensorType, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
        let shape: UnsafeMutablePointer<Onnx__TensorShapeProto> = arena.message(onnx__tensor_shape_proto__init)
        let dims: [UnsafeMutablePointer<Onnx__TensorShapeProto__Dimension>] = type.shape.map { d in
            let dim: UnsafeMutablePointer<Onnx__TensorShapeProto__Dimension> = arena.message(onnx__tensor_shape_proto__dimension__init)
            dim.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
            dim.pointee.dim_value = Int64(d)
            return dim
        }
        set(&shape.pointee.dim, &shape.pointee.n_dim, dims, arena)
        let tensorType: UnsafeMutablePointer<Onnx__TypeProto__Tensor> = arena.message(onnx__type_proto__tensor__init)
        tensorType.pointee.has_elem_type = 1
        tensorType.pointee.elem_type = OnnxDataType.code(type.dtype)
        tensorType.pointee.shape = shape
        let typeProto: UnsafeMutablePointer<Onnx__TypeProto> = arena.message(onnx__type_proto__init)
        typeProto.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
        typeProto.pointee.tensor_type = tensorType
        let info: UnsafeMutablePointer<Onnx__ValueInfoProto> = arena.message(onnx__value_info_proto__init)
        info.pointee.name = arena.string(name)
        info.pointee.type = typeProto
        return info
    }
}
