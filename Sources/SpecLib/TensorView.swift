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
            let seg = segments[k]
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
                var i = index[j]
                if broadcasting && shape[d] == 1 { i = 0 }
                guard i >= 0 && i < shape[d] else {
                    if broadcasting { throw EvalError("index \(i) out of range for dim \(d) of size \(shape[d])") }
                    return nil
                }
                flat += i * strides[d]
            }
        }
        return flat
    }
}
