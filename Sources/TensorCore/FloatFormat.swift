/// An IEEE-754-style binary interchange format, described by its field widths.
///
/// Rounding is done here with integer arithmetic on the exact input value, so each
/// conversion rounds exactly once. Going through `Float` first would round twice
/// (Double -> f32 -> f16), which differs from a direct rounding in tie cases.
struct FloatFormat: Sendable {
    /// Number of exponent bits.
    let exponentBits: Int
    /// Number of stored (explicit) significand bits.
    let mantissaBits: Int

    static let f16 = FloatFormat(exponentBits: 5, mantissaBits: 10)
    static let bf16 = FloatFormat(exponentBits: 8, mantissaBits: 7)
    static let f32 = FloatFormat(exponentBits: 8, mantissaBits: 23)
    static let f64 = FloatFormat(exponentBits: 11, mantissaBits: 52)

    /// The format of a float dtype, or nil for non-float dtypes.
    static func of(_ dtype: DType) -> FloatFormat? {
        switch dtype {
        case .f16: return .f16
        case .bf16: return .bf16
        case .f32: return .f32
        case .f64: return .f64
        default: return nil
        }
    }

    var bias: Int { (1 << (exponentBits - 1)) - 1 }
    /// Smallest normal exponent (unbiased).
    var minExponent: Int { 1 - bias }
    /// The all-ones exponent field, shifted into place: the bit pattern of +inf.
    var infinityBits: UInt64 { UInt64((1 << exponentBits) - 1) << UInt64(mantissaBits) }
    var signBit: UInt64 { UInt64(1) << UInt64(exponentBits + mantissaBits) }
    var mantissaMask: UInt64 { (UInt64(1) << UInt64(mantissaBits)) - 1 }

    /// Bit pattern of the value `(-1)^negative * significand * 2^exponent`, rounded to nearest-even.
    ///
    /// The input is exact (any UInt64 significand), which lets both doubles and
    /// 64-bit integers be converted with a single rounding step.
    func encode(negative: Bool, significand: UInt64, exponent: Int) -> UInt64 {
        let sign = negative ? signBit : 0
        if significand == 0 { return sign }
        // Position of the leading one; the value lies in [2^top, 2^(top+1)).
        let lead = 63 - significand.leadingZeroBitCount
        let top = lead + exponent
        // Values below the normal range share the subnormal quantum 2^(minExponent - m).
        let targetExponent = Swift.max(top, minExponent)
        let quantumExponent = targetExponent - mantissaBits
        let shift = quantumExponent - exponent

        var q: UInt64
        if shift <= 0 {
            // The target quantum is finer than the input's: exact, provided it fits.
            if -shift > significand.leadingZeroBitCount { return sign | infinityBits }
            q = significand << UInt64(-shift)
        } else if shift > 64 {
            // Value < 2^(exponent+64) <= quantum/2: rounds to (signed) zero.
            q = 0
        } else {
            let remainder: UInt64
            let half: UInt64 = UInt64(1) << UInt64(shift - 1)
            if shift == 64 {
                q = 0
                remainder = significand
            } else {
                q = significand >> UInt64(shift)
                remainder = significand & ((UInt64(1) << UInt64(shift)) - 1)
            }
            if remainder > half || (remainder == half && q & 1 == 1) { q += 1 }
        }
        // Biased field arithmetic: for a normal result q carries the implicit bit, so
        // adding it to (biasedExponent - 1) << m yields the encoding; for subnormals
        // (targetExponent == minExponent) the base is 0 and q is the raw mantissa. A
        // rounding carry into 2^(m+1) naturally bumps the exponent field.
        let biasedBase = targetExponent + bias - 1
        if biasedBase >= (1 << exponentBits) - 1 { return sign | infinityBits }
        let magnitude = (UInt64(biasedBase) << UInt64(mantissaBits)) &+ q
        if magnitude >= infinityBits { return sign | infinityBits }
        return sign | magnitude
    }

    /// Bit pattern of a Double rounded into this format; NaN stays NaN (quieted, payload truncated).
    func encode(_ x: Double) -> UInt64 {
        if mantissaBits == 52 { return x.bitPattern }
        let raw = x.bitPattern
        let negative = raw >> 63 == 1
        let sign = negative ? signBit : 0
        if x.isNaN {
            // Keep the top payload bits and force the quiet bit so the result stays NaN.
            let payload = (raw & 0x000F_FFFF_FFFF_FFFF) >> UInt64(52 - mantissaBits)
            let quiet = UInt64(1) << UInt64(mantissaBits - 1)
            return sign | infinityBits | payload | quiet
        }
        if x.isInfinite { return sign | infinityBits }
        let fieldE = Int((raw >> 52) & 0x7FF)
        let fraction = raw & 0x000F_FFFF_FFFF_FFFF
        if fieldE == 0 {
            return encode(negative: negative, significand: fraction, exponent: -1074)
        }
        return encode(negative: negative, significand: fraction | (1 << 52), exponent: fieldE - 1075)
    }

    /// The exact Double value of a bit pattern in this format (every supported format widens exactly).
    func decode(_ bits: UInt64) -> Double {
        if mantissaBits == 52 { return Double(bitPattern: bits) }
        let negative = bits & signBit != 0
        let mantissa = bits & mantissaMask
        let field = Int((bits >> UInt64(mantissaBits)) & UInt64((1 << exponentBits) - 1))
        let widen = UInt64(52 - mantissaBits)
        let sign: UInt64 = negative ? 1 << 63 : 0
        if field == (1 << exponentBits) - 1 {
            // Inf or NaN: move the payload into the top of the Double mantissa.
            return Double(bitPattern: sign | 0x7FF0_0000_0000_0000 | (mantissa << widen))
        }
        if field == 0 {
            // Subnormal in the narrow format, but a normal (or zero) Double: scale exactly.
            let magnitude = Double(mantissa) * Double(sign: .plus, exponent: minExponent - mantissaBits, significand: 1)
            return negative ? -magnitude : magnitude
        }
        let doubleField = UInt64(field - bias + 1023)
        return Double(bitPattern: sign | (doubleField << 52) | (mantissa << widen))
    }
}
