import CProtobufONNX
import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// An ONNX attribute's value.
enum OnnxAttribute: Equatable {
    case int(Int64), float(Float), ints([Int64]), floats([Float]), string(String), tensor(Tensor)

    static func read(_ a: Onnx__AttributeProto, what: String) throws -> OnnxAttribute {
        switch a.type {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return .int(a.i)
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return .float(a.f)
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return .ints(a.n_ints == 0 ? [] : Array(UnsafeBufferPointer(start: a.ints, count: a.n_ints)))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
            return .floats(a.n_floats == 0 ? [] : Array(UnsafeBufferPointer(start: a.floats, count: a.n_floats)))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
            return .string(String(decoding: UnsafeBufferPointer(start: a.s.data, count: a.s.len), as: UTF8.self))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
            guard let t = a.t else { throw OnnxError("\(what): tensor attribute without a tensor") }
            return .tensor(try TensorProtoCodec.tensor(t.pointee, what: what))
        default:
            throw OnnxError("\(what): attribute type \(a.type.rawValue) is not supported", kind: .unsupported)
        }
    }
}

extension ImportBuilder {
    mutating func readNode(_ n: Onnx__NodeProto, index: Int) throws {
        let opType = swiftString(n.op_type)
        let domain = swiftString(n.domain)
        let label = "node \(index) '\(swiftString(n.name))' (\(opType))"
        guard domain.isEmpty || domain == "ai.onnx" else { throw OnnxError("\(label): domain '\(domain)' is not supported", kind: .noSpec) }
        var attributes: [String: OnnxAttribute] = [:]
        for k in 0..<n.n_attribute {
            guard let a = n.attribute[k] else { continue }
            let name = swiftString(a.pointee.name)
            attributes[name] = try OnnxAttribute.read(a.pointee, what: "\(label) attribute '\(name)'")
        }
        let inputs = (0..<n.n_input).map { swiftString(n.input[$0]) }
        let outputs = (0..<n.n_output).map { swiftString(n.output[$0]) }
        try claim(outputs.filter { !$0.isEmpty }, label)
        if opType == "Constant" { return try readConstant(attributes, outputs, label) }
        let inputValues = try inputs.map { name -> ImportedValue? in
            if name.isEmpty { return nil }
            guard let v = values[name] else { throw OnnxError("\(label): input '\(name)' is not defined before use") }
            return v
        }
        let specced = library.operators.filter { $0.file.onnx?.opType == opType }
        if specced.isEmpty, ShapeFolding.opTypes.contains(opType) {
            return try foldShapeOperator(opType, attributes, inputValues, outputs, label)
        }
        guard !specced.isEmpty else { throw OnnxError("\(label): operator type '\(opType)' has no spec", kind: .noSpec) }
        let candidates = specced.filter { $0.file.onnxMappings.contains { $0.acceptedOpsets.contains(opset) } }
        guard !candidates.isEmpty else { throw opsetRefusal(label, opType, specced) }
        var reasons: [String] = []
        var foreign = false
        for spec in candidates {
            do {
                let node = try ImportMatch(spec: spec, opset: opset, attributes: attributes, inputs: inputValues).node()
                if try fold(node, inputValues: inputValues, outputs: outputs, label: label) { return }
                try add(node, spec: spec, outputs: outputs, label: label)
                return
            } catch let e as OnnxError {
                foreign = foreign || e.kind == .foreignDType
                reasons.append("\(spec.name): \(e.message)")
            } catch let e as InstanceError {
                reasons.append("\(spec.name): \(e.message)")
            }
        }
        throw OnnxError("\(label): unsupported: " + reasons.joined(separator: "; "), kind: foreign ? .foreignDType : .unsupported)
    }

    /// ONNX graphs are in SSA form: a node output may not reuse the name of a graph input, an initializer or an
    /// earlier node's output (reading it would be ambiguous; silently renaming or overwriting hides the error).
    private func claim(_ outputs: [String], _ label: String) throws {
        var seen: Set<String> = []
        for name in outputs where values[name] != nil || !seen.insert(name).inserted {
            throw OnnxError("\(label): output '\(name)' is already defined (names must be unique)")
        }
    }

    /// No spec reads `opType` at the model's opset: the operator's definition there means something else.
    private func opsetRefusal(_ label: String, _ opType: String, _ specced: [OpSpec]) -> OnnxError {
        let implemented = Set(specced.flatMap { $0.file.onnxMappings.map(\.opset) }).sorted().map(String.init).joined(separator: "/")
        let ranges = specced.flatMap { $0.file.onnxMappings.map { "\($0.acceptedOpsets)" } }
        return OnnxError("\(label): opset \(opset) \(opType) differs from the opset-\(implemented) semantics graphsmith implements "
                         + "(it reads \(opType) at opsets \(Set(ranges).sorted().joined(separator: ", ")))", kind: .unsupported)
    }

    mutating func add(_ matched: (inputs: [String], attributes: [String: AttributeValue], instance: OpInstance),
                              spec: OpSpec, outputs: [String], label: String) throws {
        guard outputs.count <= matched.instance.outputTypes.count else {
            throw OnnxError("\(label): has \(outputs.count) outputs, spec \(spec.name) gives \(matched.instance.outputTypes.count)")
        }
        var infos: [ValueInfo] = []
        for (k, type) in matched.instance.outputTypes.enumerated() {
            let onnxName = k < outputs.count && !outputs[k].isEmpty ? outputs[k] : "\(label)_unused_\(k)"
            let name = sanitize(onnxName)
            infos.append(ValueInfo(name, type))
            values[onnxName] = ImportedValue(name: name, type: type, constant: nil, producer: label)
        }
        model.nodes.append(Node(op: spec.name, inputs: matched.inputs, outputs: infos, attributes: matched.attributes))
    }

    private mutating func readConstant(_ attributes: [String: OnnxAttribute], _ outputs: [String], _ label: String) throws {
        guard attributes.count == 1, let (key, value) = attributes.first, outputs.count == 1 else {
            throw OnnxError("\(label): a Constant needs exactly one value attribute and one output")
        }
        let tensor: Tensor
        switch (key, value) {
        case ("value", .tensor(let t)): tensor = t
        case ("value_float", .float(let f)): tensor = Tensor(dtype: .f32, shape: [], doubles: [Double(f)])
        case ("value_floats", .floats(let fs)): tensor = Tensor(dtype: .f32, shape: [fs.count], doubles: fs.map(Double.init))
        case ("value_int", .int(let i)): tensor = Tensor(dtype: .i64, shape: [], ints: [i])
        case ("value_ints", .ints(let xs)): tensor = Tensor(dtype: .i64, shape: [xs.count], ints: xs)
        default: throw OnnxError("\(label): Constant attribute '\(key)' is not supported", kind: .unsupported)
        }
        let name = sanitize(outputs[0])
        model.weights.append(Weight(name, tensor))
        values[outputs[0]] = ImportedValue(name: name, type: tensor.type, constant: tensor)
    }
}
