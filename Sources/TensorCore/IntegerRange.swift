/// The exact values an integer dtype holds, `-below ... above`, as magnitudes (so that i64 and u64 both fit).
///
/// What an integer overflow is measured against: a value outside its dtype's range wraps in the reference,
/// saturates in some runtimes and is computed in a narrower type by others, and ONNX leaves it undefined.
public struct IntegerRange: Sendable, Hashable {
    /// The magnitude of the lowest value (0 for unsigned dtypes).
    public var below: UInt64
    /// The highest value.
    public var above: UInt64

    public static let int64 = IntegerRange(below: 1 << 63, above: UInt64(Int64.max))

    /// The smallest range holding both.
    public func union(_ other: IntegerRange) -> IntegerRange {
        IntegerRange(below: Swift.max(below, other.below), above: Swift.max(above, other.above))
    }

    /// Whether the exact value `±magnitude` lies in the range.
    public func contains(negative: Bool, magnitude: UInt64) -> Bool {
        negative ? magnitude <= below : magnitude <= above
    }

    /// Whether a value lies in the range: an integer or bool exactly, a float truncated toward zero (as a cast to
    /// an integer dtype truncates it; NaN and infinities never).
    public func contains(_ s: Scalar) -> Bool {
        switch s {
        case .int(let v): return contains(negative: v < 0, magnitude: v.magnitude)
        case .uint(let v): return v <= above
        case .bool(let b): return !b || above >= 1
        case .float(let d):
            guard d.isFinite else { return false }
            let t = d.rounded(.towardZero)
            // 2^64 is the first float beyond every magnitude a UInt64 holds.
            guard t.magnitude < 0x1p64 else { return false }
            return contains(negative: t < 0, magnitude: UInt64(t.magnitude))
        }
    }
}

extension IntegerRange {
    /// The range of an integer dtype; the 64-bit signed range for any other dtype (integers a float or bool
    /// operator computes, such as a count, are exact 64-bit values).
    public init(_ dtype: DType) {
        guard dtype.isInteger else {
            self = .int64
            return
        }
        let width = UInt64(dtype.bitWidth)
        if dtype.isUnsignedInteger {
            self.init(below: 0, above: width == 64 ? .max : (1 << width) - 1)
        } else {
            self.init(below: 1 << (width - 1), above: (1 << (width - 1)) - 1)
        }
    }
}
