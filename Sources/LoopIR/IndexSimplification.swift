import TensorCore

/// Index arithmetic simplification: folds constants and rewrites integer index expressions using the value
/// ranges of the loop variables, with C's truncating `/` and `%` (so negative values are handled, not assumed away).
///
/// Only expressions built from loop variables, integer constants, `+ - *`, and `/ %` by positive constants are
/// rewritten: they are integers that cannot fail, so reordering them (wrapping arithmetic is a ring) and dropping
/// parts of them changes no value and no error. Anything holding a load or a float is left as it is.
public enum IndexSimplification {
    /// The pass's name in `LoopPass.all`.
    public static let name = "simplify-index"

    /// `k` with its body simplified; the loop variables range over the kernel's shape.
    public static func run(_ k: Kernel, comparison: RangeComparison = .exact) -> Kernel {
        var out = k
        var env: [Int: ClosedRange<Int>] = [:]
        for (d, n) in k.shape.enumerated() { env[d] = 0...max(0, n - 1) }
        out.body = simplify(k.body, env, comparison).expr
        return out
    }

    /// Simplifies `e`, with the ranges of its slots in `env`.
    public static func simplify(_ e: LExpr, slotRanges env: [Int: ClosedRange<Int>]) -> LExpr { simplify(e, env, .exact).expr }

    typealias Result = (expr: LExpr, range: ClosedRange<Int>?)

    /// A bound well inside Int64, so interval arithmetic on it cannot wrap.
    static let limit = 1 << 60

    static func simplify(_ e: LExpr, _ env: [Int: ClosedRange<Int>], _ cmp: RangeComparison) -> Result {
        switch e {
        case .const(let s):
            if case .int(let v) = s, v.magnitude < UInt64(limit) { return (e, Int(v)...Int(v)) }
            return (e, nil)
        case .slot(let k): return (e, env[k])
        case .unary(let op, let a):
            let x = simplify(a, env, cmp)
            let folded = Fold.unary(op, x.expr)
            if op == "-", let r = x.range, folded.constant == nil { return normalized(folded, -r.upperBound ... -r.lowerBound, env) }
            return (folded, folded.constant.flatMap(intRange))
        case .binary(let op, let a, let b): return binary(op, simplify(a, env, cmp), simplify(b, env, cmp), env, cmp)
        case .select(let c, let a, let b):
            let cond = simplify(c, env, cmp).expr
            if let k = cond.constant { return simplify(k.isTrue ? a : b, env, cmp) }
            let x = simplify(a, env, cmp), y = simplify(b, env, cmp)
            let r = x.range.flatMap { p in y.range.map { q in min(p.lowerBound, q.lowerBound)...max(p.upperBound, q.upperBound) } }
            return (.select(cond, x.expr, y.expr), r)
        case .call(let f, let args): return (Fold.call(f, args.map { simplify($0, env, cmp).expr }), nil)
        case .cast(let d, let a): return (.cast(d, simplify(a, env, cmp).expr), nil)
        case .load(let b, let o, let ok, let fb):
            let inBounds = simplify(ok, env, cmp).expr
            // A read known to be in bounds needs no fallback (and native code then keeps the element's own type).
            let fallback = inBounds.constant?.isTrue == true ? nil : fb.map { simplify($0, env, cmp).expr }
            return (.load(buffer: b, offset: simplify(o, env, cmp).expr, inBounds: inBounds, fallback: fallback), nil)
        case .reduce(let r, let slots, let extents, let body):
            var inner = env
            for (s, n) in zip(slots, extents) { inner[s] = 0...max(0, n - 1) }
            return (.reduce(r, slots: slots, extents: extents, body: simplify(body, inner, cmp).expr), nil)
        case .argReduce(let r, let slot, let extent, let body):
            var inner = env
            inner[slot] = 0...max(0, extent - 1)
            return (.argReduce(r, slot: slot, extent: extent, body: simplify(body, inner, cmp).expr), nil)
        }
    }

    /// The values an integer index expression can take, read off its structure (nil: not such an expression).
    static func range(of e: LExpr, _ env: [Int: ClosedRange<Int>]) -> ClosedRange<Int>? {
        switch e {
        case .const(let s): return intRange(s)
        case .slot(let k): return env[k]
        case .unary("-", let a): return range(of: a, env).map { -$0.upperBound ... -$0.lowerBound }
        case .select(_, let a, let b):
            guard let p = range(of: a, env), let q = range(of: b, env) else { return nil }
            return min(p.lowerBound, q.lowerBound)...max(p.upperBound, q.upperBound)
        case .binary(let op, let a, let b):
            guard let p = range(of: a, env), let q = range(of: b, env) else { return nil }
            let r: ClosedRange<Int>?
            switch op {
            case "+": r = p.lowerBound + q.lowerBound ... p.upperBound + q.upperBound
            case "-": r = p.lowerBound - q.upperBound ... p.upperBound - q.lowerBound
            case "*": r = Linear.product(p, q)
            case "/" where q.lowerBound == q.upperBound && q.lowerBound > 0: r = p.lowerBound / q.lowerBound ... p.upperBound / q.lowerBound
            case "%" where q.lowerBound == q.upperBound && q.lowerBound > 0:
                let c = q.lowerBound
                r = p.lowerBound >= 0 ? 0 ... min(p.upperBound, c - 1) : p.upperBound <= 0 ? max(p.lowerBound, -(c - 1)) ... 0 : -(c - 1) ... c - 1
            default: r = nil
            }
            guard let out = r, out.lowerBound.magnitude < UInt(limit), out.upperBound.magnitude < UInt(limit) else { return nil }
            return out
        default: return nil
        }
    }

    static func intRange(_ s: Scalar) -> ClosedRange<Int>? {
        if case .int(let v) = s, v.magnitude < UInt64(limit) { return Int(v)...Int(v) }
        return nil
    }

    private static func binary(_ op: String, _ x: Result, _ y: Result, _ env: [Int: ClosedRange<Int>], _ cmp: RangeComparison) -> Result {
        let folded = Fold.binary(op, x.expr, y.expr)
        if let c = folded.constant { return (folded, intRange(c)) }
        if let p = x.range, let q = y.range, let decided = cmp.implementation(op, p, q) { return (.const(.bool(decided)), nil) }
        if let logic = Self.logic(op, x.expr, y.expr) { return (logic, nil) }
        guard let p = x.range, let q = y.range else { return (folded, nil) }
        switch op {
        case "+": return normalized(folded, p.lowerBound + q.lowerBound ... p.upperBound + q.upperBound, env)
        case "-": return normalized(folded, p.lowerBound - q.upperBound ... p.upperBound - q.lowerBound, env)
        case "*":
            guard let r = Linear.product(p, q) else { return (folded, nil) }
            return normalized(folded, r, env)
        case "/", "%":
            guard q.lowerBound == q.upperBound, q.lowerBound > 0 else { return (folded, nil) }
            return divide(op, x, q.lowerBound, env)
        default: return (folded, nil)
        }
    }

    /// `a / c` and `a % c` for a constant `c > 0`, with truncating semantics.
    private static func divide(_ op: String, _ a: Result, _ c: Int, _ env: [Int: ClosedRange<Int>]) -> Result {
        let r = a.range!
        // |a| < c: the quotient truncates to 0 and the remainder is a itself, whatever a's sign.
        if r.lowerBound > -c && r.upperBound < c { return op == "/" ? (.int(0), 0...0) : a }
        let whole = op == "/" ? r.lowerBound / c ... r.upperBound / c
            : (r.lowerBound >= 0 ? 0 ... min(r.upperBound, c - 1) : r.upperBound <= 0 ? max(r.lowerBound, -(c - 1)) ... 0 : -(c - 1) ... c - 1)
        let plain: Result = (.binary(op, a.expr, .int(c)), whole)
        guard var form = Linear(a.expr, env) else { return plain }
        // a = c*D + R: with D and R both non-negative (or R zero), a / c = D + R / c and a % c = R % c.
        let multiples = form.terms.filter { $0.coef % c == 0 }
        form.terms.removeAll { $0.coef % c == 0 }
        let rest = form
        let quotient = Linear(terms: multiples.map { (coef: $0.coef / c, atom: $0.atom, range: $0.range) }, constant: 0)
        guard let dRange = quotient.range, let rRange = rest.range else { return plain }
        let restIsZero = rest.terms.isEmpty && rest.constant == 0
        guard restIsZero || (dRange.lowerBound >= 0 && rRange.lowerBound >= 0) else { return plain }
        let small = rRange.upperBound < c
        if op == "%" {
            if restIsZero { return (.int(0), 0...0) }
            return small ? (rest.expression, rRange) : (.binary("%", rest.expression, .int(c)), 0 ... min(rRange.upperBound, c - 1))
        }
        if restIsZero || small { return (quotient.expression, dRange) }
        return (.binary("+", quotient.expression, .binary("/", rest.expression, .int(c))), whole)
    }

    /// A sum or product of integer index terms in canonical form: `c1*x1 + ... + k`.
    private static func normalized(_ e: LExpr, _ range: ClosedRange<Int>, _ env: [Int: ClosedRange<Int>]) -> Result {
        guard range.lowerBound.magnitude < UInt(limit), range.upperBound.magnitude < UInt(limit) else { return (e, nil) }
        guard let form = Linear(e, env) else { return (e, range) }
        return (form.expression, range)
    }

    /// `&&` and `||` with a constant side; the other side is kept only when it is already a boolean.
    private static func logic(_ op: String, _ a: LExpr, _ b: LExpr) -> LExpr? {
        guard op == "&&" || op == "||" else { return nil }
        let absorbing = op == "||"
        if let k = a.constant {
            if k.isTrue == absorbing { return .const(.bool(absorbing)) }  // the right side is never evaluated
            return isBoolean(b) ? b : nil
        }
        if let k = b.constant, k.isTrue != absorbing, isBoolean(a) { return a }
        return nil
    }

    private static func isBoolean(_ e: LExpr) -> Bool {
        switch e {
        case .binary(let op, _, _): return ["==", "!=", "<", "<=", ">", ">=", "&&", "||"].contains(op)
        case .unary("!", _): return true
        case .const(.bool): return true
        default: return false
        }
    }
}

/// How index simplification decides a comparison from its operands' value ranges (nil: not decided).
public typealias RangeComparison = Variant<@Sendable (String, ClosedRange<Int>, ClosedRange<Int>) -> Bool?>

extension Variant where Implementation == @Sendable (String, ClosedRange<Int>, ClosedRange<Int>) -> Bool? {
    /// Decided only when every pair of values in the ranges gives the same answer.
    public static var exact: RangeComparison { Variant("exact") { op, p, q in decide(op, p, q, exclusiveUpper: false) } }
    /// Faulty: reads a range's upper bound as exclusive, so `i < n` counts as always true when `i` can reach `n`
    /// (a bounds check dropped for the one index that needs it).
    public static var upperBoundExclusive: RangeComparison { Variant("upper-bound-exclusive") { op, p, q in decide(op, p, q, exclusiveUpper: true) } }

    private static func decide(_ op: String, _ p: ClosedRange<Int>, _ q: ClosedRange<Int>, exclusiveUpper: Bool) -> Bool? {
        let pHigh = exclusiveUpper ? p.upperBound - 1 : p.upperBound, qHigh = exclusiveUpper ? q.upperBound - 1 : q.upperBound
        switch op {
        case "<": return pHigh < q.lowerBound ? true : p.lowerBound >= qHigh ? false : nil
        case "<=": return pHigh <= q.lowerBound ? true : p.lowerBound > qHigh ? false : nil
        case ">": return decide("<", q, p, exclusiveUpper: exclusiveUpper)
        case ">=": return decide("<=", q, p, exclusiveUpper: exclusiveUpper)
        default: return nil
        }
    }
}
