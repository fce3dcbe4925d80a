extension Expr {
    /// The expression with every subexpression for which `f` gives a replacement replaced, top-down: a replaced
    /// subexpression is not visited again.
    public func rewritten(_ f: (Expr) throws -> Expr?) rethrows -> Expr {
        if let r = try f(self) { return r }
        func item(_ i: IndexItem) throws -> IndexItem {
            switch i {
            case .scalar(let e): return .scalar(try e.rewritten(f))
            case .splice(let e): return .splice(try e.rewritten(f))
            }
        }
        let k: Kind
        switch kind {
        case .integer, .real, .string, .name: return self
        case .unary(let op, let a): k = .unary(op, try a.rewritten(f))
        case .binary(let op, let a, let b): k = .binary(op, try a.rewritten(f), try b.rewritten(f))
        case .conditional(let c, let a, let b): k = .conditional(try c.rewritten(f), try a.rewritten(f), try b.rewritten(f))
        case .call(let name, let args): k = .call(name, try args.map { try $0.rewritten(f) })
        case .vector(let items): k = .vector(try items.map { try $0.rewritten(f) })
        case .read(let t, let items, let d): k = .read(t, try items.map(item), default: try d?.rewritten(f))
        case .reduce(let r, let binders, let body):
            let bs = try binders.map { b -> Binder in
                var b = b
                b.bound = try b.bound.rewritten(f)
                return b
            }
            k = .reduce(r, bs, try body.rewritten(f))
        }
        return Expr(k, location)
    }
}

/// Names a local `let` value mentions, for the capture check.
enum LocalLet {
    static func names(_ e: Expr) -> Set<String> {
        var out: Set<String> = []
        _ = e.rewritten { x in
            if case .name(let n) = x.kind { out.insert(n) }
            return nil
        }
        return out
    }
}
