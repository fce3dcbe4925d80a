import Foundation
import TensorCore

/// What every scalar operator and element-wise function means: the one table all evaluators share.
///
/// Floating values are float64; integers are exact 64-bit values with wrapping on overflow
/// (they are wrapped again to the tensor's dtype when stored). Mixing a float with anything
/// gives a float; mixing signed and unsigned integers computes in signed 64-bit. Where integer
/// arithmetic leaves the exact integers is said by `wraps` (ScalarOverflow.swift), next to this table.
public enum ScalarSemantics {
    /// An element-wise function of the spec language.
    public struct Function: Sendable {
        public var arity: Int
        public var apply: @Sendable ([Scalar]) throws -> Scalar
    }

    /// Functions by name; `cast` is handled by the evaluators since it takes a dtype.
    public static let functions: [String: Function] = {
        var table: [String: Function] = [:]
        let realUnary: [(String, @Sendable (Double) -> Double)] = [
            ("exp", exp), ("log", log), ("sqrt", { $0.squareRoot() }), ("sin", sin), ("cos", cos), ("tan", tan),
            ("asin", asin), ("acos", acos), ("atan", atan), ("sinh", sinh), ("cosh", cosh), ("tanh", tanh),
            ("asinh", asinh), ("acosh", acosh), ("atanh", atanh), ("erf", erf),
            ("sigmoid", { 1 / (1 + exp(-$0)) }),
        ]
        for (name, f) in realUnary {
            table[name] = Function(arity: 1) { .float(f($0[0].asDouble)) }
        }
        let roundings: [(String, FloatingPointRoundingRule)] = [("floor", .down), ("ceil", .up), ("round", .toNearestOrEven), ("trunc", .towardZero)]
        for (name, rule) in roundings {
            table[name] = Function(arity: 1) { a in
                if case .float(let d) = a[0] { return .float(d.rounded(rule)) }
                return a[0]
            }
        }
        table["abs"] = Function(arity: 1) { a in try unaryNumeric(a[0], { abs($0) }, { $0 == .min ? $0 : abs($0) }, { $0 }) }
        table["neg"] = Function(arity: 1) { a in try negate(a[0]) }
        table["sign"] = Function(arity: 1) { a in
            try unaryNumeric(a[0], { $0.isNaN ? $0 : ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }, { $0.signum() }, { $0 == 0 ? 0 : 1 })
        }
        table["isnan"] = Function(arity: 1) { a in .bool(a[0].asDouble.isNaN) }
        table["isinf"] = Function(arity: 1) { a in .bool(a[0].asDouble.isInfinite) }
        table["pow"] = Function(arity: 2) { a in try power(a[0], a[1]) }
        table["max"] = Function(arity: 2) { a in try extreme(a[0], a[1], wantMax: true) }
        table["min"] = Function(arity: 2) { a in try extreme(a[0], a[1], wantMax: false) }
        table["clamp"] = Function(arity: 3) { a in try extreme(try extreme(a[0], a[1], wantMax: true), a[2], wantMax: false) }
        table.merge(bitFunctions) { own, _ in own }
        return table
    }()

    /// A binary operator of the spec language, resolved from its spelling once (compiled evaluation keeps it).
    public enum BinaryOperator: String, Sendable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and = "&&", or = "||"

        /// The operator spelled `op`: a plain switch, cheaper than `init(rawValue:)`'s table search, for the
        /// callers that resolve per element.
        public static func named(_ op: String) -> BinaryOperator? {
            switch op {
            case "+": return .add
            case "-": return .subtract
            case "*": return .multiply
            case "/": return .divide
            case "%": return .remainder
            case "==": return .equal
            case "!=": return .notEqual
            case "<": return .less
            case "<=": return .lessOrEqual
            case ">": return .greater
            case ">=": return .greaterOrEqual
            case "&&": return .and
            case "||": return .or
            default: return nil
            }
        }
    }

    /// Applies a binary operator (`+ - * / % == != < <= > >= && ||`).
    public static func binary(_ op: String, _ a: Scalar, _ b: Scalar) throws -> Scalar {
        guard let o = BinaryOperator.named(op) else { throw EvalError("unknown operator '\(op)'") }
        return try binary(o, a, b)
    }

    /// Applies a resolved binary operator.
    public static func binary(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar) throws -> Scalar {
        switch op {
        case .and: return .bool(a.isTrue && b.isTrue)
        case .or: return .bool(a.isTrue || b.isTrue)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return .bool(compare(op, a, b))
        case .add, .subtract, .multiply, .divide, .remainder: return try arithmetic(op, a, b)
        }
    }

    /// Applies a prefix operator (`-`, `!`).
    public static func unary(_ op: String, _ a: Scalar) throws -> Scalar {
        op == "!" ? .bool(!a.isTrue) : try negate(a)
    }

    enum Domain { case float, int, uint }

    static func domain(_ a: Scalar, _ b: Scalar) -> Domain {
        switch (a, b) {
        case (.float, _), (_, .float): return .float
        case (.uint, .uint): return .uint
        default: return .int
        }
    }

    static func signed(_ s: Scalar) -> Int64 {
        switch s {
        case .int(let v): return v
        case .uint(let v): return Int64(truncatingIfNeeded: v)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return Int64(d)
        }
    }

    static func unsigned(_ s: Scalar) -> UInt64 {
        if case .uint(let v) = s { return v }
        return UInt64(truncatingIfNeeded: signed(s))
    }

    private static func arithmetic(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar) throws -> Scalar {
        switch domain(a, b) {
        case .float:
            let x = a.asDouble, y = b.asDouble
            switch op {
            case .add: return .float(x + y)
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .divide: return .float(x / y)
            case .remainder: return .float(fmod(x, y))
            default: throw EvalError("unknown operator '\(op.rawValue)'")
            }
        case .int:
            let x = signed(a), y = signed(b)
            switch op {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .divide, .remainder:
                guard y != 0 else { throw EvalError("integer division by zero") }
                if x == .min && y == -1 { return .int(op == .divide ? .min : 0) }
                return .int(op == .divide ? x / y : x % y)
            default: throw EvalError("unknown operator '\(op.rawValue)'")
            }
        case .uint:
            let x = unsigned(a), y = unsigned(b)
            switch op {
            case .add: return .uint(x &+ y)
            case .subtract: return .uint(x &- y)
            case .multiply: return .uint(x &* y)
            case .divide, .remainder:
                guard y != 0 else { throw EvalError("integer division by zero") }
                return .uint(op == .divide ? x / y : x % y)
            default: throw EvalError("unknown operator '\(op.rawValue)'")
            }
        }
    }

    private static func compare(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar) -> Bool {
        let order: Int?
        switch domain(a, b) {
        case .float:
            let x = a.asDouble, y = b.asDouble
            order = x.isNaN || y.isNaN ? nil : (x < y ? -1 : (x > y ? 1 : 0))
        case .int:
            let x = signed(a), y = signed(b)
            order = x < y ? -1 : (x > y ? 1 : 0)
        case .uint:
            let x = unsigned(a), y = unsigned(b)
            order = x < y ? -1 : (x > y ? 1 : 0)
        }
        guard let o = order else { return op == .notEqual }
        switch op {
        case .equal: return o == 0
        case .notEqual: return o != 0
        case .less: return o < 0
        case .lessOrEqual: return o <= 0
        case .greater: return o > 0
        default: return o >= 0
        }
    }

    private static func unaryNumeric(_ a: Scalar, _ f: (Double) -> Double, _ i: (Int64) -> Int64, _ u: (UInt64) -> UInt64) throws -> Scalar {
        switch a {
        case .float(let d): return .float(f(d))
        case .int(let v): return .int(i(v))
        case .uint(let v): return .uint(u(v))
        case .bool(let b): return .int(i(b ? 1 : 0))
        }
    }

    private static func negate(_ a: Scalar) throws -> Scalar {
        try unaryNumeric(a, { -$0 }, { 0 &- $0 }, { 0 &- $0 })
    }

    /// NaN wins, as in numpy's maximum/minimum.
    private static func extreme(_ a: Scalar, _ b: Scalar, wantMax: Bool) throws -> Scalar {
        if case .float(let x) = a, x.isNaN { return a }
        if case .float(let y) = b, y.isNaN { return b }
        let aWins = compare(wantMax ? BinaryOperator.greaterOrEqual : .lessOrEqual, a, b)
        let winner = aWins ? a : b
        if domain(a, b) == .float { return .float(winner.asDouble) }
        return winner
    }

    private static func power(_ a: Scalar, _ b: Scalar) throws -> Scalar {
        if domain(a, b) == .float { return .float(pow(a.asDouble, b.asDouble)) }
        var base = signed(a), e = signed(b), result: Int64 = 1
        if e < 0 { return .int(base == 1 ? 1 : (base == -1 ? (e % 2 == 0 ? 1 : -1) : 0)) }
        while e > 0 {
            if e & 1 == 1 { result = result &* base }
            base = base &* base
            e >>= 1
        }
        if case .uint = a { return .uint(UInt64(bitPattern: result)) }
        return .int(result)
    }
}
