/// An integer index expression as a linear form `c1*x1 + ... + cn*xn + k` over atoms with known ranges
/// (loop variables, or non-linear parts such as `a / 4`): the shape `IndexSimplification` reasons in.
struct Linear {
    typealias Term = (coef: Int, atom: LExpr, range: ClosedRange<Int>)
    var terms: [Term]
    var constant: Int

    init(terms: [Term], constant: Int) {
        self.terms = terms
        self.constant = constant
    }

    /// The form of `e`, or nil when a part of it is not an integer of known range (a load, a float).
    init?(_ e: LExpr, _ env: [Int: ClosedRange<Int>]) {
        terms = []
        constant = 0
        guard add(e, 1, env) else { return nil }
        terms.removeAll { $0.coef == 0 }
    }

    private mutating func add(_ e: LExpr, _ scale: Int, _ env: [Int: ClosedRange<Int>]) -> Bool {
        switch e {
        case .const(.int(let v)):
            guard let p = Self.times(scale, Int(v)), let s = Self.plus(constant, p) else { return false }
            constant = s
            return true
        case .binary("+", let a, let b): return add(a, scale, env) && add(b, scale, env)
        case .binary("-", let a, let b): return add(a, scale, env) && add(b, -scale, env)
        case .binary("*", let a, .const(.int(let c))), .binary("*", .const(.int(let c)), let a):
            guard let s = Self.times(scale, Int(c)) else { return false }
            return add(a, s, env)
        case .unary("-", let a): return add(a, -scale, env)
        default:
            guard let r = IndexSimplification.range(of: e, env) else { return false }
            let key = e.description
            if let k = terms.firstIndex(where: { $0.atom.description == key }) {
                guard let c = Self.plus(terms[k].coef, scale) else { return false }
                terms[k].coef = c
            } else {
                terms.append((scale, e, r))
            }
            return true
        }
    }

    /// The range of the form, or nil if it could overflow.
    var range: ClosedRange<Int>? {
        var lo = constant, hi = constant
        for t in terms {
            guard let r = Self.product(t.coef...t.coef, t.range), let l = Self.plus(lo, r.lowerBound), let h = Self.plus(hi, r.upperBound),
                  l.magnitude < UInt(IndexSimplification.limit), h.magnitude < UInt(IndexSimplification.limit) else { return nil }
            lo = l
            hi = h
        }
        return lo...hi
    }

    /// The canonical expression: terms ordered by their text, unit coefficients dropped, the constant last.
    var expression: LExpr {
        let parts: [LExpr] = terms.sorted { $0.atom.description < $1.atom.description }.map { t in
            t.coef == 1 ? t.atom : .binary("*", t.atom, .int(t.coef))
        }
        guard let first = parts.first else { return .int(constant) }
        let sum = parts.dropFirst().reduce(first) { .binary("+", $0, $1) }
        return constant == 0 ? sum : .binary("+", sum, .int(constant))
    }

    static func times(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : r
    }

    static func plus(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    /// The range of `x * y` for x in `p` and y in `q`, or nil on overflow.
    static func product(_ p: ClosedRange<Int>, _ q: ClosedRange<Int>) -> ClosedRange<Int>? {
        var corners: [Int] = []
        for a in [p.lowerBound, p.upperBound] {
            for b in [q.lowerBound, q.upperBound] {
                guard let c = times(a, b) else { return nil }
                corners.append(c)
            }
        }
        return corners.min()!...corners.max()!
    }
}
