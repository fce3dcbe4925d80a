import TensorCore

/// The shape operators exporters write (`Shape`, `Size`, `ConstantOfShape`, `Range`), evaluated at import while
/// no spec maps them. With static shapes their results are constants, so import folds them into constants (see
/// `ImportFolding`); once a spec maps one, import reads it by the spec instead and this code is not used for it.
enum ShapeFolding {
    static let opTypes: Set<String> = ["Shape", "Size", "ConstantOfShape", "Range"]

    /// The node's single output, or a one-line refusal (the caller prefixes the node's label).
    static func evaluate(_ opType: String, opset: Int, _ attributes: [String: OnnxAttribute], _ inputs: [ImportedValue?]) throws -> Tensor {
        let allowed: [String: Set<String>] = ["Shape": ["start", "end"], "ConstantOfShape": ["value"]]
        if let extra = attributes.keys.sorted().first(where: { !(allowed[opType] ?? []).contains($0) }) {
            throw OnnxError("attribute '\(extra)' is not supported", kind: .unsupported)
        }
        if opType == "Shape", opset < 15, let key = ["start", "end"].first(where: { attributes[$0] != nil }) {
            throw OnnxError("attribute '\(key)' needs opset 15, the model's is \(opset)")
        }
        let arity = ["Shape": 1, "Size": 1, "ConstantOfShape": 1, "Range": 3][opType]!
        guard inputs.count == arity, inputs.allSatisfy({ $0 != nil }) else {
            throw OnnxError("has \(inputs.count) inputs, \(opType) takes \(arity)")
        }
        let xs = inputs.map { $0! }
        switch opType {
        case "Shape": return try shape(xs[0].type.shape, attributes)
        case "Size": return Tensor(dtype: .i64, shape: [], ints: [Int64(xs[0].type.shape.reduce(1, *))])
        case "ConstantOfShape": return try constantOfShape(value(xs[0], 0), attributes)
        default: return try range(value(xs[0], 0), value(xs[1], 1), value(xs[2], 2))
        }
    }

    /// An input's value: these operators need theirs at import, since their results are shapes.
    private static func value(_ v: ImportedValue, _ k: Int) throws -> Tensor {
        guard let c = v.constant else { throw OnnxError(ImportFolding.notConstant(k, v), kind: .unsupported) }
        return c
    }

    /// Dims `start ..< end` of the input's shape; negative bounds count from the end, both are clamped to the rank.
    static func shape(_ dims: [Int], _ attributes: [String: OnnxAttribute]) throws -> Tensor {
        func bound(_ key: String, _ fallback: Int) throws -> Int {
            guard let a = attributes[key] else { return fallback }
            guard case .int(let i) = a else { throw OnnxError("attribute '\(key)' must be an integer") }
            let k = i < 0 ? Int(i) + dims.count : Int(clamping: i)
            return min(max(k, 0), dims.count)
        }
        let start = try bound("start", 0), end = try bound("end", dims.count)
        let kept = start < end ? Array(dims[start..<end]) : []
        return Tensor(dtype: .i64, shape: [kept.count], ints: kept.map(Int64.init))
    }

    /// A tensor of the shape `shape` (a 1-D i64 tensor) filled with the one element of `value` (default: f32 0).
    static func constantOfShape(_ shape: Tensor, _ attributes: [String: OnnxAttribute]) throws -> Tensor {
        guard shape.dtype == .i64, shape.shape.count == 1 else { throw OnnxError("input 0 must be a 1-D int64 tensor, got \(shape.type)") }
        let dims = shape.scalars.map { Int($0.asInt64) }
        guard dims.allSatisfy({ $0 >= 0 }) else { throw OnnxError("shape \(dims) has a negative dim") }
        var fill = Tensor(dtype: .f32, shape: [1], doubles: [0])
        if let a = attributes["value"] {
            guard case .tensor(let t) = a, t.count == 1 else { throw OnnxError("attribute 'value' must be a one-element tensor") }
            fill = t
        }
        let count = try elementCount(dims)
        return Tensor(dtype: fill.dtype, shape: dims, bits: Array(repeating: fill.bits[0], count: count))
    }

    /// `start, start + delta, ...` up to (excluding) `limit`: max(ceil((limit - start) / delta), 0) elements.
    static func range(_ start: Tensor, _ limit: Tensor, _ delta: Tensor) throws -> Tensor {
        let dtype = start.dtype
        guard [start, limit, delta].allSatisfy({ $0.count == 1 && $0.shape.count <= 1 && $0.dtype == dtype }) else {
            throw OnnxError("start, limit and delta must be scalars of one dtype, got \(start.type), \(limit.type), \(delta.type)")
        }
        if dtype.isFloat {
            let (s, l, d) = (start.double(at: 0), limit.double(at: 0), delta.double(at: 0))
            guard d != 0, d.isFinite, s.isFinite, l.isFinite else { throw OnnxError("Range needs a finite nonzero delta and finite bounds") }
            let n = max(Int(((l - s) / d).rounded(.up)), 0)
            _ = try elementCount([n])
            return Tensor(dtype: dtype, shape: [n], doubles: (0..<n).map { s + Double($0) * d })
        }
        let (s, l, d) = (start.scalar(at: 0).asInt64, limit.scalar(at: 0).asInt64, delta.scalar(at: 0).asInt64)
        guard d != 0 else { throw OnnxError("Range needs a nonzero delta") }
        let span = Double(l) - Double(s)
        let n = max(Int((span / Double(d)).rounded(.up)), 0)
        _ = try elementCount([n])
        return Tensor(dtype: dtype, shape: [n], ints: (0..<n).map { s &+ Int64($0) &* d })
    }

    private static func elementCount(_ dims: [Int]) throws -> Int {
        var count = 1
        for d in dims {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= TensorProtoCodec.maxElements else { throw OnnxError("shape \(dims) is too large") }
            count = p
        }
        return count
    }
}

extension ImportBuilder {
    /// Reads a shape operator no spec maps by evaluating it (see `ShapeFolding`).
    mutating func foldShapeOperator(_ opType: String, _ attributes: [String: OnnxAttribute], _ inputs: [ImportedValue?],
                                    _ outputs: [String], _ label: String) throws {
        guard outputs.count == 1, !outputs[0].isEmpty else { throw OnnxError("\(label): has \(outputs.count) outputs, \(opType) gives 1") }
        let tensor: Tensor
        do { tensor = try ShapeFolding.evaluate(opType, opset: opset, attributes, inputs) } catch let e as OnnxError { throw e.prefixed(label) }
        // Shape and Size read only shapes; ConstantOfShape and Range hold in every run only when their inputs do.
        let readsValues = opType == "ConstantOfShape" || opType == "Range"
        addConstant(tensor, onnxName: outputs[0], foldable: !readsValues || inputs.allSatisfy { $0?.foldable ?? true })
    }
}
