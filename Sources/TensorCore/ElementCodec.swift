/// Conversions between dtypes and bit patterns: the one place where rounding and wrapping rules live.
///
/// Every evaluator in graphsmith goes through these functions when it stores a
/// value into a tensor, so the semantics of casts are defined once, here:
///
/// * to a float dtype: round-to-nearest-even from the exact source value (one
///   rounding step, overflow to ±inf, gradual underflow, NaN preserved);
/// * integer to integer dtype: wrap modulo 2^bitWidth (two's complement);
/// * float to integer dtype: truncate toward zero, NaN becomes 0, values outside
///   the dtype's range saturate to its min/max. IEEE and C leave this undefined
///   (and hardware differs), so graphsmith fixes saturation as its semantics;
/// * to bool: nonzero (including NaN) becomes 1, zero becomes 0.
public enum ElementCodec {
    /// Round a float64 value to the nearest value representable in `dtype` (round-to-nearest-even, with correct overflow to ±inf, subnormals, NaN kept), for float dtypes.
    ///
    /// Non-float dtypes return `x` unchanged; use `bits(of:as:)` for integer casts.
    public static func round(_ x: Double, to dtype: DType) -> Double {
        guard let format = FloatFormat.of(dtype) else { return x }
        return format.decode(format.encode(x))
    }

    /// Bit pattern (zero-extended into UInt64) of a Scalar converted to `dtype`.
    ///
    /// See the type documentation for the conversion rules. Integer sources convert
    /// to float dtypes with a single rounding step, even for values beyond 2^53.
    public static func bits(of value: Scalar, as dtype: DType) -> UInt64 {
        // Fast paths: the hardware conversions round to nearest even too (NaNs take the general path).
        if case .float(let d) = value, !d.isNaN {
            if dtype == .f64 { return d.bitPattern }
            if dtype == .f32 { return UInt64(Float(d).bitPattern) }
        }
        if let format = FloatFormat.of(dtype) {
            return floatBits(of: value, format: format)
        }
        if dtype.isBool {
            return value.isTrue ? 1 : 0
        }
        let mask = dtype.bitMask
        switch value {
        case .int(let v): return UInt64(bitPattern: v) & mask
        case .uint(let v): return v & mask
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return saturatingBits(of: d, as: dtype)
        }
    }

    /// Decode a bit pattern of `dtype` to a Scalar: float dtypes -> .float, signed -> .int (sign-extended), unsigned -> .uint, bool -> .bool.
    ///
    /// Bits above the dtype's width are ignored.
    public static func scalar(bits: UInt64, dtype: DType) -> Scalar {
        if dtype == .f64 { return .float(Double(bitPattern: bits)) }
        if dtype == .f32 { return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))) }
        if let format = FloatFormat.of(dtype) {
            return .float(format.decode(bits & dtype.bitMask))
        }
        if dtype.isBool { return .bool(bits & dtype.bitMask != 0) }
        if dtype.isSignedInteger {
            // Shift the sign bit to bit 63, then arithmetic-shift back to sign-extend.
            let unused = UInt64(64 - dtype.bitWidth)
            return .int(Int64(bitPattern: bits << unused) >> Int64(unused))
        }
        return .uint(bits & dtype.bitMask)
    }

    /// The float encoding of any scalar, rounding exactly once.
    private static func floatBits(of value: Scalar, format: FloatFormat) -> UInt64 {
        switch value {
        case .float(let d):
            return format.encode(d)
        case .int(let v):
            return format.encode(negative: v < 0, significand: v.magnitude, exponent: 0)
        case .uint(let v):
            return format.encode(negative: false, significand: v, exponent: 0)
        case .bool(let b):
            return format.encode(negative: false, significand: b ? 1 : 0, exponent: 0)
        }
    }

    /// Float-to-integer cast: truncate toward zero, NaN -> 0, saturate at the dtype's bounds.
    private static func saturatingBits(of d: Double, as dtype: DType) -> UInt64 {
        if d.isNaN { return 0 }
        let t = d.rounded(.towardZero)
        let width = dtype.bitWidth
        let mask = dtype.bitMask
        if dtype.isSignedInteger {
            // Bounds are powers of two, hence exact in Double: [-2^(w-1), 2^(w-1)).
            let limit = Double(sign: .plus, exponent: width - 1, significand: 1)
            let maxValue = Int64(bitPattern: mask >> 1)
            if t >= limit { return UInt64(bitPattern: maxValue) & mask }
            if t <= -limit { return UInt64(bitPattern: ~maxValue) & mask }
            return UInt64(bitPattern: Int64(t)) & mask
        }
        let limit = Double(sign: .plus, exponent: width, significand: 1)
        if t >= limit { return mask }
        if t <= 0 { return 0 }
        return UInt64(t)
    }
}
