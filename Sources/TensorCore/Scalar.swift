/// One element value as the evaluators see it (float64 for floating types, exact integers for integer types).
///
/// Floating values of every float dtype are widened to `Double`, which represents
/// f16, bf16 and f32 values exactly. Integers keep their exact value: signed types
/// as `Int64`, unsigned types as `UInt64`, so u64 values above `Int64.max` survive.
///
/// Equality is the synthesized one, so `.float(.nan) != .float(.nan)`; compare
/// tensors through their bit patterns when bit-exactness matters.
public enum Scalar: Sendable, Hashable, CustomStringConvertible {
    case float(Double)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)

    /// Numeric value as a Double (bool becomes 0 or 1; large integers round to nearest).
    public var asDouble: Double {
        switch self {
        case .float(let d): return d
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// Numeric value as an Int64.
    ///
    /// Floats truncate toward zero and saturate at the Int64 bounds (NaN gives 0),
    /// unsigned values above `Int64.max` clamp to `Int64.max`, bool gives 0 or 1.
    public var asInt64: Int64 {
        switch self {
        case .float(let d): return Scalar.truncatingSaturating(d)
        case .int(let v): return v
        case .uint(let v): return v > UInt64(Int64.max) ? Int64.max : Int64(v)
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// Whether the value is nonzero (NaN counts as nonzero, as in C).
    public var isTrue: Bool {
        switch self {
        case .float(let d): return d != 0
        case .int(let v): return v != 0
        case .uint(let v): return v != 0
        case .bool(let b): return b
        }
    }

    /// A plain rendering of the value, e.g. "1.5", "-3", "true".
    public var description: String {
        switch self {
        case .float(let d): return "\(d)"
        case .int(let v): return "\(v)"
        case .uint(let v): return "\(v)"
        case .bool(let b): return "\(b)"
        }
    }

    /// Truncates toward zero, saturating to the Int64 range; NaN maps to 0.
    static func truncatingSaturating(_ d: Double) -> Int64 {
        if d.isNaN { return 0 }
        let t = d.rounded(.towardZero)
        // -2^63 is exactly representable; 2^63 is the first value above Int64.max.
        if t <= -0x1p63 { return Int64.min }
        if t >= 0x1p63 { return Int64.max }
        return Int64(t)
    }
}
