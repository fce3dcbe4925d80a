import CProtobufONNX
import Foundation
import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Reads ONNX models into the model IR, for every operator that has a spec; no per-operator code.
public enum Importer {
    /// The largest file graphsmith reads; larger ones are refused rather than loaded.
    public static let maxFileBytes = 1 << 30

    /// Reads an `.onnx` file.
    /// `knownInputs` gives values of graph inputs (by position) that may stand in where a spec needs a constant,
    /// as the ONNX test suite passes axes and shapes as inputs with known data.
    public static func read(path: String, library: SpecLibrary, knownInputs: [Int: Tensor] = [:]) throws -> Model {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw OnnxError("\(path): cannot read file") }
        guard size <= maxFileBytes else { throw OnnxError("\(path): file is larger than \(maxFileBytes) bytes") }
        guard let data = try? Data(contentsOf: url) else { throw OnnxError("\(path): cannot read file") }
        do { return try decode([UInt8](data), library: library, knownInputs: knownInputs) } catch let e as OnnxError { throw e.prefixed(path) }
    }

    /// Decodes a serialized `ModelProto`.
    public static func decode(_ bytes: [UInt8], library: SpecLibrary, knownInputs: [Int: Tensor] = [:]) throws -> Model {
        let proto = bytes.withUnsafeBufferPointer { onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let proto else { throw OnnxError("not a valid ONNX model (corrupt or truncated protobuf)") }
        defer { onnx__model_proto__free_unpacked(proto, nil) }
        guard let graph = proto.pointee.graph else { throw OnnxError("model has no graph") }
        var builder = ImportBuilder(library: library, opset: try modelOpset(proto.pointee))
        builder.knownInputs = knownInputs
        try builder.read(graph.pointee)
        return builder.finish()
    }

    /// The default-domain opset the model declares (the first, when it declares several), nil when it declares none.
    static func opsetVersion(_ m: Onnx__ModelProto) -> Int? { defaultDomainOpsets(m).first }

    /// Every version the model declares for the default domain ('' and 'ai.onnx' name the same one), in file order.
    static func defaultDomainOpsets(_ m: Onnx__ModelProto) -> [Int] {
        (0..<m.n_opset_import).compactMap { k in
            guard let o = m.opset_import[k] else { return nil }
            let domain = swiftString(o.pointee.domain)
            return domain.isEmpty || domain == "ai.onnx" ? Int(o.pointee.version) : nil
        }
    }

    /// The declared opset, refused when missing, not positive, or newer than any definition the specs were
    /// checked against: every node is read at this opset, so a guess would give it another operator's meaning.
    static func modelOpset(_ m: Onnx__ModelProto) throws -> Int {
        let declared = defaultDomainOpsets(m)
        guard let opset = declared.first else { throw OnnxError("model declares no opset for the default ONNX domain") }
        if let other = declared.first(where: { $0 != opset }) {
            throw OnnxError("model declares the default ONNX domain at two opsets, \(opset) and \(other)")
        }
        guard opset >= 1 else { throw OnnxError("opset \(opset) is not an ONNX opset (the lowest is 1)") }
        let newest = OpsetRange.newestOnnxOpset
        guard opset <= newest else {
            throw OnnxError("opset \(opset) is newer than opset \(newest), the newest graphsmith knows", kind: .unsupported)
        }
        return opset
    }
}

/// A value a node input names: a runtime value of known type, or a constant.
struct ImportedValue {
    var name: String
    var type: TensorType
    /// The value, when import knows it: an initializer, a Constant, a folded node's output, a known input.
    var constant: Tensor?
    /// Whether `constant` holds in every run, so nodes reading it may be folded (see `ImportFolding`); a known
    /// graph input's value only stands in where a spec needs a constant, and the input stays an input.
    var foldable = true
    /// The node that computes the value at run time (for messages), nil for graph inputs and constants.
    var producer: String? = nil
}

/// Builds the model while walking the graph.
struct ImportBuilder {
    let library: SpecLibrary
    let opset: Int
    var model = Model()
    var values: [String: ImportedValue] = [:]
    var usedNames: Set<String> = []
    var knownInputs: [Int: Tensor] = [:]
    /// Output names of nodes whose values import computed (see `ImportFolding`): dropped when nothing reads them.
    var evaluatedOutputs: Set<String> = []

    init(library: SpecLibrary, opset: Int) {
        self.library = library
        self.opset = opset
    }

    /// A name safe for the text format, unique in the model.
    mutating func sanitize(_ onnxName: String) -> String {
        var s = String(onnxName.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" ? $0 : "_" })
        if s.isEmpty || s.first == "-" || s.first!.isNumber { s = "v_" + s }
        var candidate = s
        var k = 1
        while usedNames.contains(candidate) { candidate = "\(s)_\(k)"; k += 1 }
        usedNames.insert(candidate)
        return candidate
    }

    mutating func read(_ g: Onnx__GraphProto) throws {
        for k in 0..<g.n_initializer {
            guard let t = g.initializer[k] else { continue }
            let onnxName = swiftString(t.pointee.name)
            guard values[onnxName] == nil else { throw OnnxError("initializer '\(onnxName)' is named twice") }
            let tensor = try TensorProtoCodec.tensor(t.pointee, what: "initializer '\(onnxName)'")
            let name = sanitize(onnxName)
            model.weights.append(Weight(name, tensor))
            values[onnxName] = ImportedValue(name: name, type: tensor.type, constant: tensor)
        }
        let initializers = Set(values.keys)
        var inputNames: Set<String> = []
        for k in 0..<g.n_input {
            guard let v = g.input[k] else { continue }
            let onnxName = swiftString(v.pointee.name)
            guard inputNames.insert(onnxName).inserted else { throw OnnxError("graph input '\(onnxName)' is declared twice") }
            if initializers.contains(onnxName) { continue }  // an initializer listed as an input too (IR version < 4)
            let type = try Self.tensorType(v.pointee, what: "graph input '\(onnxName)'")
            let name = sanitize(onnxName)
            model.inputs.append(ValueInfo(name, type))
            let known = knownInputs[model.inputs.count - 1].flatMap { $0.type == type ? $0 : nil }
            values[onnxName] = ImportedValue(name: name, type: type, constant: known, foldable: false)
        }
        for k in 0..<g.n_node {
            guard let n = g.node[k] else { continue }
            try readNode(n.pointee, index: k)
        }
        for k in 0..<g.n_output {
            guard let v = g.output[k] else { continue }
            let onnxName = swiftString(v.pointee.name)
            guard let value = values[onnxName] else { throw OnnxError("graph output '\(onnxName)' is not produced by any node") }
            try Self.checkDeclared(v.pointee, computed: value.type, what: "graph output '\(onnxName)'")
            if let c = value.constant, value.producer == nil, !model.weights.contains(where: { $0.name == value.name }),
               !model.inputs.contains(where: { $0.name == value.name }) {
                model.weights.append(Weight(value.name, c))
            }
            model.outputs.append(value.name)
        }
    }

    /// Drops weights no node or output uses (constants folded into attributes), and nodes whose values import
    /// computed when nothing reads them at run time.
    func finish() -> Model {
        var m = model
        m.nodes = ImportFolding.liveNodes(m.nodes, outputs: m.outputs, removable: evaluatedOutputs)
        let used = Set(m.nodes.flatMap(\.inputs) + m.outputs)
        m.weights = m.weights.filter { used.contains($0.name) }
        return m
    }

    static func tensorType(_ v: Onnx__ValueInfoProto, what: String) throws -> TensorType {
        guard let type = v.type, type.pointee.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE, let tt = type.pointee.tensor_type else {
            throw OnnxError("\(what): only tensor types are supported", kind: .unsupported)
        }
        guard let dtype = OnnxDataType.dtype(tt.pointee.elem_type) else {
            throw OnnxError("\(what): unsupported element type \(OnnxDataType.name(tt.pointee.elem_type))", kind: .foreignDType)
        }
        guard let shape = tt.pointee.shape else { throw OnnxError("\(what): has no shape; graphsmith needs concrete shapes") }
        var dims: [Int] = []
        for k in 0..<shape.pointee.n_dim {
            guard let d = shape.pointee.dim[k] else { continue }
            guard d.pointee.value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE, d.pointee.dim_value >= 0 else {
                throw OnnxError("\(what): dim \(k) is \(dynamicDim(d.pointee)); graphsmith needs static shapes", kind: .unsupported)
            }
            dims.append(Int(d.pointee.dim_value))
        }
        guard dims.count <= 64, dims.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= TensorProtoCodec.maxElements else {
            throw OnnxError("\(what): shape is too large")
        }
        return TensorType(dtype, dims)
    }

    /// How a dim that is not a concrete size reads in a refusal: a named symbol, missing, or negative.
    static func dynamicDim(_ d: Onnx__TensorShapeProto__Dimension) -> String {
        switch d.value_case {
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM: return "dynamic ('\(swiftString(d.dim_param))')"
        case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE: return "negative (\(d.dim_value))"
        default: return "dynamic (no size given)"
        }
    }
}
