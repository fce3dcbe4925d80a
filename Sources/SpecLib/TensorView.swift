import SpecLang
import TensorCore

/// Read access to one tensor for the evaluator: its shape, how its declared shape items map onto dims, and its elements.
public struct TensorView: Sendable {
    public var shape: [Int]
    /// For each declared shape item, the range of dims it covers.
    public var segments: [Range<Int>]
    public var strides: [Int]
    public var fetch: @Sendable (Int) -> Scalar

    public init(shape: [Int], segments: [Range<Int>], fetch: @escaping @Sendable (Int) -> Scalar) {
        self.shape = shape
        self.segments = segments
        self.strides = Tensor.strides(of: shape)
        self.fetch = fetch
    }

    /// A view of a tensor value.
    public init(_ tensor: Tensor, segments: [Range<Int>]) {
        self.init(shape: tensor.shape, segments: segments) { tensor.scalar(at: $0) }
    }

    /// The flat offset of one element, or nil when outside the tensor.
    ///
    /// Without a default, a splice is read with numpy broadcasting: right-aligned against
    /// its segment (extra leading indices ignored) and size-1 dims read at 0. With a
    /// default (`else`), indices are taken as they are and anything outside reads the default.
    public func offset(items: [Value], broadcasting: Bool) throws -> Int? {
        var flat = 0
        for (k, item) in items.enumerated() {
            guard try add(item, at: k, broadcasting: broadcasting, to: &flat) else { return nil }
        }
        return flat
    }

    /// Adds index item `k`'s part of the flat offset to `flat`; false when it is outside the tensor (with a default).
    public func add(_ item: Value, at k: Int, broadcasting: Bool, to flat: inout Int) throws -> Bool {
        let seg = segments[k]
        if case .scalar = item, seg.count == 1 {
            // One number for one dim, the usual read: the loop below without its arrays.
            return try add(try item.asInt(), dim: seg.lowerBound, broadcasting: broadcasting, to: &flat)
        }
        var index: [Int]
        switch item {
        case .vector(let v): index = v
        default: index = [try item.asInt()]
        }
        if index.count != seg.count {
            guard broadcasting, index.count > seg.count else {
                throw EvalError("index item \(k + 1) has \(index.count) entries for \(seg.count) dims")
            }
            index = Array(index.suffix(seg.count))
        }
        for (j, d) in seg.enumerated() {
            guard try add(index[j], dim: d, broadcasting: broadcasting, to: &flat) else { return false }
        }
        return true
    }

    private func add(_ index: Int, dim d: Int, broadcasting: Bool, to flat: inout Int) throws -> Bool {
        var i = index
        if broadcasting && shape[d] == 1 { i = 0 }
        guard i >= 0 && i < shape[d] else {
            if broadcasting { throw EvalError("index \(i) out of range for dim \(d) of size \(shape[d])") }
            return false
        }
        flat += i * strides[d]
        return true
    }
}
