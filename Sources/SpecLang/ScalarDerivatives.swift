import Foundation

/// The derivatives of the scalar functions and operators of `ScalarSemantics`: the one table the gradients read.
///
/// Each rule gives the exact partial derivatives at the arguments, a proxy used by the input
/// search where the exact derivative is zero or undefined (rounding, sign, the losing side of
/// max/min), and a decision: the discrete choice the function makes at those arguments (which
/// side won, which integer was rounded to). A gradient check skips points where a small step
/// changes a decision, since the exact derivative does not hold across a kink.
public enum ScalarDerivatives {
    /// The derivative rule of one function or operator, on float64 arguments.
    public struct Rule: Sendable {
        public var exact: @Sendable ([Double]) -> [Double]
        public var proxy: (@Sendable ([Double]) -> [Double])?
        public var decision: (@Sendable ([Double]) -> Double)?

        /// The partials in the requested mode.
        public func partials(_ args: [Double], proxy useProxy: Bool) -> [Double] {
            if useProxy, let p = proxy { return p(args) }
            return exact(args)
        }
    }

    /// How much of the gradient the losing side of max/min (and an unchosen branch) receives in proxy mode.
    public static let leak = 0.1

    /// Rules by function name (the names of `ScalarSemantics.functions`); a missing name has no gradient.
    public static let functions: [String: Rule] = {
        var t: [String: Rule] = [:]
        func smooth(_ name: String, _ d: @escaping @Sendable (Double) -> Double) {
            t[name] = Rule(exact: { [d($0[0])] })
        }
        smooth("exp") { exp($0) }
        smooth("log") { 1 / $0 }
        smooth("sqrt") { 0.5 / $0.squareRoot() }
        smooth("sin") { cos($0) }
        smooth("cos") { -sin($0) }
        smooth("tan") { 1 + tan($0) * tan($0) }
        smooth("asin") { 1 / (1 - $0 * $0).squareRoot() }
        smooth("acos") { -1 / (1 - $0 * $0).squareRoot() }
        smooth("atan") { 1 / (1 + $0 * $0) }
        smooth("sinh") { cosh($0) }
        smooth("cosh") { sinh($0) }
        smooth("tanh") { 1 - tanh($0) * tanh($0) }
        smooth("asinh") { 1 / ($0 * $0 + 1).squareRoot() }
        smooth("acosh") { 1 / ($0 * $0 - 1).squareRoot() }
        smooth("atanh") { 1 / (1 - $0 * $0) }
        smooth("erf") { 2 / Double.pi.squareRoot() * exp(-$0 * $0) }
        smooth("sigmoid") { x in
            let s = 1 / (1 + exp(-x))
            return s * (1 - s)
        }
        smooth("neg") { _ in -1 }
        // Piecewise constant: zero exactly, straight-through (identity) as a proxy.
        let steps: [(String, FloatingPointRoundingRule?)] = [("floor", .down), ("ceil", .up), ("round", .toNearestOrEven),
                                                             ("trunc", .towardZero), ("sign", nil)]
        for (name, rule) in steps {
            t[name] = Rule(exact: { _ in [0] }, proxy: { _ in [1] }, decision: { a in
                rule.map { a[0].rounded($0) } ?? (a[0] > 0 ? 1 : (a[0] < 0 ? -1 : 0))
            })
        }
        // Bit functions take integers only, whose results carry no gradient; zero, with no proxy to follow.
        for name in ["bitand", "bitor", "bitxor", "shl", "shr"] { t[name] = Rule(exact: { a in a.map { _ in 0 } }) }
        t["abs"] = Rule(exact: { [$0[0] < 0 ? -1 : 1] }, decision: { $0[0] < 0 ? 1 : 0 })
        t["pow"] = Rule(exact: { a in
            let (x, y) = (a[0], a[1])
            return [y * pow(x, y - 1), x > 0 ? pow(x, y) * log(x) : 0]
        })
        // Ties go to the first argument, as in ScalarSemantics.
        t["max"] = Rule(exact: { a in a[0] >= a[1] ? [1, 0] : [0, 1] }, proxy: { a in a[0] >= a[1] ? [1, leak] : [leak, 1] },
                        decision: { a in a[0] >= a[1] ? 0 : 1 })
        t["min"] = Rule(exact: { a in a[0] <= a[1] ? [1, 0] : [0, 1] }, proxy: { a in a[0] <= a[1] ? [1, leak] : [leak, 1] },
                        decision: { a in a[0] <= a[1] ? 0 : 1 })
        t["clamp"] = Rule(exact: { a in clampPartials(a, leak: 0) }, proxy: { a in clampPartials(a, leak: leak) },
                          decision: { a in a[0] < a[1] ? 1 : (a[0] > a[2] ? 2 : 0) })
        return t
    }()

    /// clamp(x, lo, hi) = min(max(x, lo), hi): the bound that wins gets the gradient, x a leak of it.
    private static func clampPartials(_ a: [Double], leak: Double) -> [Double] {
        let low = a[0] >= a[1] ? a[0] : a[1]
        if low <= a[2] { return a[0] >= a[1] ? [1, 0, 0] : [leak, 1, 0] }
        return [leak, 0, 1]
    }

    /// Partials of a float arithmetic operator (`+ - * / %`), or nil for operators without a gradient.
    public static func binary(_ op: ScalarSemantics.BinaryOperator, _ x: Double, _ y: Double) -> (Double, Double)? {
        switch op {
        case .add: return (1, 1)
        case .subtract: return (1, -1)
        case .multiply: return (y, x)
        case .divide: return (1 / y, -x / (y * y))
        case .remainder: return (1, -(x / y).rounded(.towardZero))
        default: return nil
        }
    }

    /// The discrete choice of `%` (which multiple of y was taken), for kink detection.
    public static func binaryDecision(_ op: ScalarSemantics.BinaryOperator, _ x: Double, _ y: Double) -> Double? {
        op == .remainder ? (x / y).rounded(.towardZero) : nil
    }
}
