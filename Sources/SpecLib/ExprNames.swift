import SpecLang

/// The names an expression mentions, looking through `let`s, for the solver's dependency tracking.
enum ExprNames {
    static func collect(_ e: Expr, lets: [String: Expr], into out: inout Set<String>) {
        switch e.kind {
        case .integer, .real, .string: return
        case .name(let n):
            guard out.insert(n).inserted else { return }
            if let l = lets[n] { collect(l, lets: lets, into: &out) }
        case .unary(_, let a): collect(a, lets: lets, into: &out)
        case .binary(_, let a, let b):
            collect(a, lets: lets, into: &out)
            collect(b, lets: lets, into: &out)
        case .conditional(let c, let a, let b):
            for x in [c, a, b] { collect(x, lets: lets, into: &out) }
        case .call(_, let args), .vector(let args):
            for x in args { collect(x, lets: lets, into: &out) }
        case .read(let t, let items, let d):
            if out.insert(t).inserted, let l = lets[t] { collect(l, lets: lets, into: &out) }
            for i in items { collect(i.expr, lets: lets, into: &out) }
            if let d { collect(d, lets: lets, into: &out) }
        case .reduce(_, let binders, let body):
            for b in binders { collect(b.bound, lets: lets, into: &out) }
            collect(body, lets: lets, into: &out)
        }
    }

    static func of(_ e: Expr, lets: [String: Expr]) -> Set<String> {
        var out: Set<String> = []
        collect(e, lets: lets, into: &out)
        return out
    }
}
