import TensorCore

/// The value of a spec expression at evaluation time.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case scalar(Scalar)
    /// Shapes, index vectors and `ints` attributes.
    case vector([Int])
    /// An enum attribute's case.
    case name(String)
    case dtype(DType)

    public static func int(_ v: Int) -> Value { .scalar(.int(Int64(v))) }
    public static func bool(_ v: Bool) -> Value { .scalar(.bool(v)) }

    public var description: String {
        switch self {
        case .scalar(let s): return s.description
        case .vector(let v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case .name(let n): return n
        case .dtype(let d): return d.rawValue
        }
    }

    /// The value as an integer, for shape and index arithmetic.
    public func asInt() throws -> Int {
        switch self {
        case .scalar(.int(let v)): return Int(v)
        case .scalar(.uint(let v)): return Int(truncatingIfNeeded: v)
        case .scalar(.bool(let b)): return b ? 1 : 0
        case .scalar(.float(let d)):
            guard d.isFinite, d == d.rounded(.towardZero), abs(d) < 9e18 else { throw EvalError("expected an integer, got \(d)") }
            return Int(d)
        default: throw EvalError("expected an integer, got \(self)")
        }
    }

    public func asVector() throws -> [Int] {
        if case .vector(let v) = self { return v }
        throw EvalError("expected a vector, got \(self)")
    }

    public func asBool() throws -> Bool {
        if case .scalar(let s) = self { return s.isTrue }
        throw EvalError("expected a condition, got \(self)")
    }

    public func asScalar() throws -> Scalar {
        if case .scalar(let s) = self { return s }
        throw EvalError("expected a number, got \(self)")
    }
}

/// A failure while evaluating a spec expression on concrete values (bad index, division by zero, ...).
public struct EvalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
