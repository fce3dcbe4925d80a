extension Tensor {
    /// Random tensor: floats uniform in [low, high) then rounded; integers uniform in [Int(low), Int(high)] inclusive clamped to dtype range; bool fair coin.
    ///
    /// Integer bounds truncate toward zero (saturating). If clamping to the dtype's
    /// range leaves an empty interval (e.g. u8 with high < 0), every element is the
    /// clamped lower bound. Float values are drawn in Double and then rounded to the
    /// dtype, so for narrow types a draw near `high` may round up to `high` itself.
    public static func random(
        _ type: TensorType, using rng: inout SeededRNG, low: Double = -1, high: Double = 1
    ) -> Tensor {
        let dtype = type.dtype
        let n = type.count
        var bits: [UInt64] = []
        bits.reserveCapacity(n)
        if dtype.isFloat {
            for _ in 0..<n {
                bits.append(ElementCodec.bits(of: .float(rng.double(in: low, high)), as: dtype))
            }
        } else if dtype.isBool {
            for _ in 0..<n {
                bits.append(rng.bool() ? 1 : 0)
            }
        } else {
            let (lo, hi) = integerBounds(dtype: dtype, low: low, high: high)
            for _ in 0..<n {
                bits.append(ElementCodec.bits(of: .int(Int64(rng.int(in: lo...hi))), as: dtype))
            }
        }
        return Tensor(dtype: dtype, shape: type.shape, bits: bits)
    }

    /// The inclusive integer interval for `random`, clamped to what both the dtype and `Int` hold.
    private static func integerBounds(dtype: DType, low: Double, high: Double) -> (Int, Int) {
        let (typeMin, typeMax) = representableRange(dtype)
        let lo = Swift.min(Swift.max(Int(Scalar.truncatingSaturating(low)), typeMin), typeMax)
        let hi = Swift.min(Swift.max(Int(Scalar.truncatingSaturating(high)), typeMin), typeMax)
        return (lo, Swift.max(lo, hi))
    }

    /// The dtype's value range, intersected with `Int` (u64 values above `Int.max` are not drawn).
    private static func representableRange(_ dtype: DType) -> (Int, Int) {
        let width = dtype.bitWidth
        if dtype.isSignedInteger {
            if width == 64 { return (Int.min, Int.max) }
            return (-(1 << (width - 1)), (1 << (width - 1)) - 1)
        }
        if width == 64 { return (0, Int.max) }
        return (0, (1 << width) - 1)
    }
}
