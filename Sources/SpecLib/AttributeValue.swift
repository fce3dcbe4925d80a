import SpecLang
import TensorCore

/// A concrete attribute value of a node.
public enum AttributeValue: Hashable, Sendable, CustomStringConvertible {
    /// `int` and `bool` (0 or 1) attributes.
    case int(Int)
    case real(Double)
    /// `ints`, `perm` and `axes` attributes.
    case ints([Int])
    /// An `enum` attribute's case.
    case name(String)
    case dtype(DType)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .real(let v): return Self.format(v)
        case .ints(let v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case .name(let n): return n
        case .dtype(let d): return d.rawValue
        }
    }

    /// Shortest text that reads back to the same Double, bit for bit.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        let s = "\(v)"
        return s.contains(".") || s.contains("e") ? s : s + ".0"
    }

    /// The value as the spec evaluator sees it.
    public var value: Value {
        switch self {
        case .int(let v): return .int(v)
        case .real(let v): return .scalar(.float(v))
        case .ints(let v): return .vector(v)
        case .name(let n): return .name(n)
        case .dtype(let d): return .dtype(d)
        }
    }
}
