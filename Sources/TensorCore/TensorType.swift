/// The static type of a tensor: its element dtype and shape.
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    /// Element type.
    public var dtype: DType
    /// Extent of each dimension, outermost first; empty for a scalar (rank 0).
    public var shape: [Int]

    /// Creates a tensor type from a dtype and a shape.
    public init(_ dtype: DType, _ shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// Number of elements: the product of the shape (1 for a scalar).
    public var count: Int { TensorType.elementCount(shape) }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Rendering such as "f32[2, 3]", or "f32[]" for a scalar.
    public var description: String {
        "\(dtype)[\(shape.map(String.init).joined(separator: ", "))]"
    }

    /// The most elements a tensor read from a file (a text model, an ONNX model or a `.pb` tensor) may have,
    /// 2^28 (2 GiB as f64): a larger claim is refused as corrupt or hostile rather than allocated.
    public static let maxElements = 1 << 28

    /// The number of elements of `shape`, or nil when a dim is negative or the product exceeds `maxElements`
    /// (checked at every step, so a product that would overflow `Int` is nil too, never a trap).
    public static func cappedCount(_ shape: [Int]) -> Int? {
        var count = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxElements else { return nil }
            count = product
        }
        return count
    }

    /// Product of the extents; the empty product is 1.
    static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }
}
