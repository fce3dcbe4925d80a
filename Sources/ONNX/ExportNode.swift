import CProtobufONNX
import ModelIR
import SpecLang
import SpecLib
import TensorCore

extension Exporter {
    /// One ONNX node for a graphsmith node, plus the initializers its constant inputs need.
    static func nodeMessage(_ node: Node, _ instance: OpInstance, _ mapping: OnnxMapping, index: Int, _ arena: ProtoArena) throws
        -> (UnsafeMutablePointer<Onnx__NodeProto>, [UnsafeMutablePointer<Onnx__TensorProto>]) {
        let ev = instance.evaluator
        var constants: [UnsafeMutablePointer<Onnx__TensorProto>] = []
        var inputNames: [String] = []
        let portNames = instance.inputPorts.map(\.name)
        let entries = mapping.inputs ?? instance.spec.inputs.map { OnnxInput.port($0.name, mapping.location) }
        for (k, entry) in entries.enumerated() {
            switch entry {
            case .port(let name, _):
                // An absent optional input is an empty name (trailing ones are dropped below).
                inputNames.append(portNames.firstIndex(of: name).map { node.inputs[$0] } ?? "")
            case .omitted:
                inputNames.append("")
            case .constant(let dtypeName, let expr):
                guard let dtype = DTypeBounds.dtype(named: dtypeName, ev) else { throw OnnxError("\(node.op): no dtype '\(dtypeName)'") }
                let name = "\(node.outputs[0].name)__const\(k)"
                let tensor = try OnnxMapping.fraction(expr).map { try fractionTensor($0, ev, dtype: dtype, node: node) }
                    ?? constantTensor(try evaluate(expr, ev, node), dtype: dtype, node: node)
                constants.append(TensorProtoCodec.message(tensor, name: name, arena))
                inputNames.append(name)
            }
        }
        while inputNames.last == "" { inputNames.removeLast() }
        let proto: UnsafeMutablePointer<Onnx__NodeProto> = arena.message(onnx__node_proto__init)
        proto.pointee.name = arena.string("n\(index)_\(node.op)")
        proto.pointee.op_type = arena.string(mapping.opType)
        proto.pointee.n_input = inputNames.count
        proto.pointee.input = arena.array(inputNames.map { Optional(arena.string($0)) })
        proto.pointee.n_output = node.outputs.count
        proto.pointee.output = arena.array(node.outputs.map { Optional(arena.string($0.name)) })
        let attributes = try mapping.attributes.map { entry in
            guard let (dtypeName, expr) = OnnxMapping.tensorAttribute(entry.value) else {
                return try attribute(entry.name, try evaluate(entry.value, ev, node), arena)
            }
            guard let dtype = DTypeBounds.dtype(named: dtypeName, ev) else { throw OnnxError("\(node.op): no dtype '\(dtypeName)'") }
            let one = try constantTensor(try evaluate(expr, ev, node), dtype: dtype, node: node)
            return tensorAttribute(entry.name, Tensor(dtype: dtype, shape: [1], bits: one.bits), arena)
        }
        set(&proto.pointee.attribute, &proto.pointee.n_attribute, attributes, arena)
        return (proto, constants)
    }

    private static func evaluate(_ e: Expr, _ ev: Evaluator, _ node: Node) throws -> Value {
        do { return try ev.eval(e) } catch { throw OnnxError("\(node.op): cannot evaluate ONNX mapping '\(e)': \(error)") }
    }

    /// `fraction(v, bits)`: each element of `v` divided by 2^bits, exact in a Double, rounded once to `dtype`.
    private static func fractionTensor(_ f: (value: Expr, bits: Expr), _ ev: Evaluator, dtype: DType, node: Node) throws -> Tensor {
        guard case .vector(let xs) = try evaluate(f.value, ev, node) else {
            throw OnnxError("\(node.op): fraction(\(f.value), \(f.bits)) needs a vector")
        }
        let bitsValue = try evaluate(f.bits, ev, node)
        let bits: [Int]
        switch bitsValue {
        case .vector(let bs) where bs.count == xs.count: bits = bs
        default:
            guard let b = try? bitsValue.asInt() else { throw OnnxError("\(node.op): fraction(\(f.value), \(f.bits)): bad exponents \(bitsValue)") }
            bits = Array(repeating: b, count: xs.count)
        }
        return Tensor(dtype: dtype, shape: [xs.count], doubles: zip(xs, bits).map { Double($0) * Double(sign: .plus, exponent: -$1, significand: 1) })
    }

    private static func constantTensor(_ v: Value, dtype: DType, node: Node) throws -> Tensor {
        switch v {
        case .scalar(let s): return Tensor(dtype: dtype, shape: [], scalars: [s])
        case .vector(let xs): return Tensor(dtype: dtype, shape: [xs.count], ints: xs.map(Int64.init))
        default: throw OnnxError("\(node.op): a constant input must be a number or a vector, got \(v)")
        }
    }

    /// An ONNX attribute from a mapping value: integers INT, reals FLOAT, vectors INTS, enum cases STRING, dtypes their ONNX code.
    /// A TENSOR attribute (`key = tensor(D, x)` in an `onnx` line).
    static func tensorAttribute(_ name: String, _ t: Tensor, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__AttributeProto> {
        let a: UnsafeMutablePointer<Onnx__AttributeProto> = arena.message(onnx__attribute_proto__init)
        a.pointee.name = arena.string(name)
        a.pointee.has_type = 1
        a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
        a.pointee.t = TensorProtoCodec.message(t, name: "", arena)
        return a
    }

    static func attribute(_ name: String, _ v: Value, _ arena: ProtoArena) throws -> UnsafeMutablePointer<Onnx__AttributeProto> {
        let a: UnsafeMutablePointer<Onnx__AttributeProto> = arena.message(onnx__attribute_proto__init)
        a.pointee.name = arena.string(name)
        a.pointee.has_type = 1
        switch v {
        case .scalar(.float(let d)):
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
            a.pointee.has_f = 1
            a.pointee.f = Float(d)
        case .scalar(let s):
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
            a.pointee.has_i = 1
            a.pointee.i = s.asInt64
        case .vector(let xs):
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
            a.pointee.n_ints = xs.count
            a.pointee.ints = arena.array(xs.map(Int64.init))
        case .name(let n):
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
            a.pointee.has_s = 1
            a.pointee.s = arena.binary(Array(n.utf8))
        case .dtype(let d):
            a.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
            a.pointee.has_i = 1
            a.pointee.i = Int64(OnnxDataType.code(d))
        }
        return a
    }
}
