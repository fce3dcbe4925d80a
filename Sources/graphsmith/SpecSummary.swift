import SpecLang
import SpecLib

/// The JSON object `specs list --json` prints for one operator.
struct SpecSummary: Encodable {
    struct Onnx: Encodable {
        var op: String
        /// The opset of the last `onnx` line, which maps every instance.
        var opset: Int
        /// The opset of each `onnx` line, in order (the first whose `when` holds exports an instance).
        var opsets: [Int]
    }

    struct Port: Encodable {
        var name: String
        /// `input` or `weight`; nil for outputs, whose objects have no role key.
        var role: String?
        /// A type variable (`T`) or a fixed dtype (`bool`).
        var type: String
        /// Shape items as written: `["N", "C / group", "*S"]`.
        var shape: [String]
    }

    struct Attribute: Encodable {
        var name: String
        var kind: String
        var range: [String]?
        var defaultValue: String?

        enum CodingKeys: String, CodingKey { case name, kind, range, defaultValue = "default" }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(range, forKey: .range)
            try c.encode(defaultValue, forKey: .defaultValue)
        }
    }

    var name: String
    var family: String
    var file: String
    var doc: String?
    var onnx: Onnx?
    /// How many `torch` lines the spec has (0: the operator is left out of torch campaigns).
    var torch: Int
    /// Each type variable's allowed dtypes, groups expanded.
    var types: [String: [String]]
    var inputs: [Port]
    var outputs: [Port]
    var attributes: [Attribute]

    init(_ spec: OpSpec) {
        name = spec.name
        family = spec.family
        file = spec.file.path
        doc = spec.file.doc
        onnx = spec.file.onnx.map { Onnx(op: $0.opType, opset: $0.opset, opsets: spec.file.onnxMappings.map(\.opset)) }
        torch = spec.file.torchMappings.count
        types = spec.typeVariables.mapValues { $0.map(\.rawValue) }
        inputs = spec.inputs.map { Port(name: $0.name, role: $0.role.rawValue, type: $0.type.name, shape: $0.shape.map(\.description)) }
        outputs = spec.outputs.map { Port(name: $0.name, role: nil, type: $0.type.name, shape: $0.shape.map(\.description)) }
        attributes = spec.attributes.map { a in
            Attribute(name: a.name, kind: SpecText.kind(a.kind), range: a.range.map { ["\($0.low)", "\($0.high)"] },
                      defaultValue: SpecText.defaultValue(a))
        }
    }

    enum CodingKeys: String, CodingKey { case name, family, file, doc, onnx, torch, types, inputs, outputs, attributes }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(family, forKey: .family)
        try c.encode(file, forKey: .file)
        try c.encode(doc, forKey: .doc)
        try c.encode(onnx, forKey: .onnx)
        try c.encode(torch, forKey: .torch)
        try c.encode(types, forKey: .types)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(attributes, forKey: .attributes)
    }
}
