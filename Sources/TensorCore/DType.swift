/// Element types.
///
/// The set mirrors what deep-learning compilers commonly support. `bool` is stored
/// as one byte (0 or 1) so that every dtype has a whole-byte storage width.
public enum DType: String, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    case f16, bf16, f32, f64, i8, i16, i32, i64, u8, u16, u32, u64, bool

    /// Whether this is a binary floating-point type (f16, bf16, f32, f64).
    public var isFloat: Bool {
        switch self {
        case .f16, .bf16, .f32, .f64: return true
        default: return false
        }
    }

    /// Whether this is a two's-complement signed integer type.
    public var isSignedInteger: Bool {
        switch self {
        case .i8, .i16, .i32, .i64: return true
        default: return false
        }
    }

    /// Whether this is an unsigned integer type.
    public var isUnsignedInteger: Bool {
        switch self {
        case .u8, .u16, .u32, .u64: return true
        default: return false
        }
    }

    /// Whether this is a signed or unsigned integer type (bool is not an integer).
    public var isInteger: Bool { isSignedInteger || isUnsignedInteger }

    /// Whether this is the boolean type.
    public var isBool: Bool { self == .bool }

    /// Storage width in bits; bool occupies 8 bits.
    public var bitWidth: Int {
        switch self {
        case .i8, .u8, .bool: return 8
        case .f16, .bf16, .i16, .u16: return 16
        case .f32, .i32, .u32: return 32
        case .f64, .i64, .u64: return 64
        }
    }

    /// Mask selecting the low `bitWidth` bits of a bit pattern.
    var bitMask: UInt64 {
        bitWidth == 64 ? UInt64.max : (UInt64(1) << UInt64(bitWidth)) &- 1
    }

    /// The canonical short name, e.g. "f32".
    public var description: String { rawValue }

    /// Parses a canonical short name such as "f32"; returns nil for unknown names.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// All floating-point dtypes.
    public static let floats: [DType] = [.f16, .bf16, .f32, .f64]
    /// All signed integer dtypes, narrowest first.
    public static let signedIntegers: [DType] = [.i8, .i16, .i32, .i64]
    /// All unsigned integer dtypes, narrowest first.
    public static let unsignedIntegers: [DType] = [.u8, .u16, .u32, .u64]
    /// All integer dtypes: signed first, then unsigned.
    public static let integers: [DType] = signedIntegers + unsignedIntegers
}
extension DType: CodingKeyRepresentable {}
