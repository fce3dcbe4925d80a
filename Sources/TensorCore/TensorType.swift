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

    /// Product of the extents; the empty product is 1.
    static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }
}
