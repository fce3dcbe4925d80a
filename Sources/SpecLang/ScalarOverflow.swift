import TensorCore

/// Where the integer arithmetic of the table leaves the exact integers. The table's results stay what they are
/// (wrapped, two's complement); these say when the wrapped result is not the mathematical one, which ONNX leaves
/// undefined and runtimes compute differently (wrapping, saturating, in 32 bits). A test whose values overflow
/// says nothing about a compiler, so evaluators report it (`OverflowMonitor` in SpecLib).
extension ScalarSemantics {
    /// Whether `binary(op, a, b)` on integers has an exact result its 64-bit computation does not hold: a signed
    /// result beyond Int64, an unsigned one below zero or beyond UInt64, or an unsigned operand beyond Int64 that
    /// a signed computation (mixed with a signed operand) cannot read.
    public static func wraps(_ op: String, _ a: Scalar, _ b: Scalar) -> Bool {
        guard op == "+" || op == "-" || op == "*" || op == "/" else { return false }
        switch domain(a, b) {
        case .float: return false
        case .int:
            if unreadable(a) || unreadable(b) { return true }
            let x = signed(a), y = signed(b)
            switch op {
            case "+": return x.addingReportingOverflow(y).overflow
            case "-": return x.subtractingReportingOverflow(y).overflow
            case "*": return x.multipliedReportingOverflow(by: y).overflow
            default: return x == .min && y == -1
            }
        case .uint:
            let x = unsigned(a), y = unsigned(b)
            switch op {
            case "+": return x.addingReportingOverflow(y).overflow
            case "-": return x < y
            case "*": return x.multipliedReportingOverflow(by: y).overflow
            default: return false
            }
        }
    }

    /// Whether the prefix operator `-` wraps: the lowest signed value, or a nonzero unsigned one.
    public static func wraps(unary op: String, _ a: Scalar) -> Bool {
        guard op == "-" else { return false }
        switch a {
        case .int(let v): return v == .min
        case .uint(let v): return v != 0
        default: return false
        }
    }

    /// Whether an element-wise function of the table wraps: `abs` and `neg` of the lowest signed value, an integer
    /// `pow` beyond 64 bits.
    public static func wraps(function f: String, _ args: [Scalar]) -> Bool {
        switch f {
        case "neg": return wraps(unary: "-", args[0])
        case "abs": if case .int(let v) = args[0] { return v == .min } else { return false }
        case "pow": return powerWraps(args[0], args[1])
        default: return false
        }
    }

    /// An unsigned value a signed 64-bit computation reads as negative.
    private static func unreadable(_ s: Scalar) -> Bool {
        if case .uint(let v) = s { return v > UInt64(Int64.max) }
        return false
    }

    /// `power` squares its base as it goes; a square that overflows while exponent bits remain makes the result
    /// overflow too (the base is then beyond 1 in magnitude), so checking every product used is exact.
    private static func powerWraps(_ a: Scalar, _ b: Scalar) -> Bool {
        guard domain(a, b) != .float else { return false }
        if unreadable(a) || unreadable(b) { return true }
        var base = signed(a), e = signed(b), result: Int64 = 1
        if e < 0 { return false }
        while e > 0 {
            if e & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: base)
                if o { return true }
                result = r
            }
            e >>= 1
            guard e > 0 else { break }
            let (s, o) = base.multipliedReportingOverflow(by: base)
            if o { return true }
            base = s
        }
        return false
    }
}

/// The overflow check of one integer `sum` or `prod` reduction, independent of the order its terms are combined
/// in (a compiler may tile, vectorize or reorder them): a sum overflows when its positive terms together, or its
/// negative terms together, leave the range (every partial sum in every order lies between the two); a product
/// with a zero term is 0 in every order, and one without overflows when the product of the magnitudes leaves the
/// range (every partial product is at most that). Float terms make it a float reduction, never an overflow.
public struct IntegerAccumulation: Sendable {
    private var positive: UInt64 = 0
    private var negative: UInt64 = 0
    private var product: UInt64 = 1
    private var zero = false
    private var beyond = false
    private var float = false

    public init() {}

    private static func magnitude(_ x: Scalar) -> (negative: Bool, magnitude: UInt64)? {
        switch x {
        case .int(let v): return (v < 0, v.magnitude)
        case .uint(let v): return (false, v)
        case .bool(let b): return (false, b ? 1 : 0)
        case .float: return nil
        }
    }

    /// Adds one term of a `sum`.
    public mutating func add(_ x: Scalar) {
        guard let (neg, m) = Self.magnitude(x) else { float = true; return }
        let (s, o) = (neg ? negative : positive).addingReportingOverflow(m)
        if neg { negative = s } else { positive = s }
        beyond = beyond || o
    }

    /// Multiplies in one term of a `prod`.
    public mutating func multiply(_ x: Scalar) {
        guard let (_, m) = Self.magnitude(x) else { float = true; return }
        if m == 0 { zero = true; return }
        let (p, o) = product.multipliedReportingOverflow(by: m)
        product = p
        beyond = beyond || o
    }

    /// Whether the reduction (`sum` or `prod`) may leave `range` in some order of its terms.
    public func overflows(_ reduction: String, in range: IntegerRange) -> Bool {
        if float { return false }
        if reduction == "prod" { return !zero && (beyond || product > range.above) }
        return beyond || positive > range.above || negative > range.below
    }
}
