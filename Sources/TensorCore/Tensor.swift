/// A dense row-major tensor; every element is stored as its bit pattern so equality is bit-exact.
///
/// Storing bit patterns rather than numbers means two tensors compare equal exactly
/// when they hold the same encodings: NaN equals an identical NaN, while -0 and +0
/// differ. Use `Compare.allClose` for numeric comparison.
public struct Tensor: Hashable, Sendable {
    /// Element type.
    public let dtype: DType
    /// Extent of each dimension, outermost first; empty for a scalar.
    public let shape: [Int]
    /// Element bit patterns in row-major order, zero-extended to 64 bits.
    public var bits: [UInt64]

    /// The tensor's dtype and shape together.
    public var type: TensorType { TensorType(dtype, shape) }

    /// Number of elements (1 for a scalar).
    public var count: Int { bits.count }

    /// Creates a tensor from raw bit patterns; bits above the dtype's width are cleared.
    ///
    /// Clearing the high bits keeps equality bit-exact even if a caller passes, say,
    /// a sign-extended i8 pattern.
    public init(dtype: DType, shape: [Int], bits: [UInt64]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            bits.count == TensorType.elementCount(shape),
            "\(bits.count) elements given for shape \(shape)")
        self.dtype = dtype
        self.shape = shape
        let mask = dtype.bitMask
        self.bits = mask == UInt64.max ? bits : bits.map { $0 & mask }
    }

    /// Creates a tensor by converting each scalar with `ElementCodec.bits(of:as:)`.
    public init(dtype: DType, shape: [Int], scalars: [Scalar]) {
        self.init(dtype: dtype, shape: shape, bits: scalars.map { ElementCodec.bits(of: $0, as: dtype) })
    }

    /// Creates a tensor from Double values, converted by the codec's cast rules.
    public init(dtype: DType, shape: [Int], doubles: [Double]) {
        self.init(dtype: dtype, shape: shape, bits: doubles.map { ElementCodec.bits(of: .float($0), as: dtype) })
    }

    /// Creates a tensor from Int64 values, converted by the codec's cast rules (integers wrap).
    public init(dtype: DType, shape: [Int], ints: [Int64]) {
        self.init(dtype: dtype, shape: shape, bits: ints.map { ElementCodec.bits(of: .int($0), as: dtype) })
    }

    /// A tensor of the given type whose elements are all zero (0.0, 0 or false).
    public static func zeros(_ type: TensorType) -> Tensor {
        // The all-zero bit pattern is +0.0, 0 or false in every dtype.
        Tensor(dtype: type.dtype, shape: type.shape, bits: Array(repeating: 0, count: type.count))
    }

    /// The element at a row-major flat index, decoded.
    public func scalar(at flatIndex: Int) -> Scalar {
        ElementCodec.scalar(bits: bits[flatIndex], dtype: dtype)
    }

    /// The element at a row-major flat index as a Double.
    public func double(at flatIndex: Int) -> Double {
        scalar(at: flatIndex).asDouble
    }

    /// All elements decoded, in row-major order.
    public var scalars: [Scalar] {
        bits.map { ElementCodec.scalar(bits: $0, dtype: dtype) }
    }

    /// All elements as Doubles, in row-major order.
    public var doubles: [Double] {
        bits.map { ElementCodec.scalar(bits: $0, dtype: dtype).asDouble }
    }

    /// Whether every element is finite (integer and bool tensors always are).
    public var isAllFinite: Bool {
        !dtype.isFloat || doubles.allSatisfy(\.isFinite)
    }

    /// Row-major strides for a shape.
    ///
    /// The last dimension has stride 1; each earlier stride is the product of the
    /// later extents. Rank 0 gives an empty array.
    public static func strides(of shape: [Int]) -> [Int] {
        var result = Array(repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = running
            running *= shape[axis]
        }
        return result
    }

    /// Steps a multi-index to the next element in row-major order (the last axis fastest), wrapping to all zeros
    /// after the last element.
    public static func advance(_ index: inout [Int], in shape: [Int]) {
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { return }
            index[d] = 0
            d -= 1
        }
    }
}

extension DType {
    /// Bytes per element in memory and in files (a bool is one byte).
    public var byteWidth: Int { self == .bool ? 1 : bitWidth / 8 }
}

extension Tensor {
    /// The elements' little-endian bytes, as ONNX `raw_data` and torch's `frombuffer` read them.
    public var littleEndianBytes: [UInt8] {
        let width = dtype.byteWidth
        var out: [UInt8] = []
        out.reserveCapacity(count * width)
        for b in bits { for k in 0..<width { out.append(UInt8(truncatingIfNeeded: b >> (8 * UInt64(k)))) } }
        return out
    }
}
