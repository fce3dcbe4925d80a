/// Generic traversals of loop-IR expressions, shared by the loop passes.
extension LExpr {
    /// The expression with every node rebuilt bottom-up: children first, then `f` on the rebuilt node.
    public func rewritten(_ f: (LExpr) -> LExpr) -> LExpr {
        let node: LExpr
        switch self {
        case .const, .slot: node = self
        case .unary(let op, let a): node = .unary(op, a.rewritten(f))
        case .binary(let op, let a, let b): node = .binary(op, a.rewritten(f), b.rewritten(f))
        case .select(let c, let a, let b): node = .select(c.rewritten(f), a.rewritten(f), b.rewritten(f))
        case .call(let name, let args): node = .call(name, args.map { $0.rewritten(f) })
        case .cast(let d, let a): node = .cast(d, a.rewritten(f))
        case .load(let b, let o, let ok, let fb):
            node = .load(buffer: b, offset: o.rewritten(f), inBounds: ok.rewritten(f), fallback: fb?.rewritten(f))
        case .reduce(let r, let slots, let extents, let body): node = .reduce(r, slots: slots, extents: extents, body: body.rewritten(f))
        case .argReduce(let r, let slot, let extent, let body): node = .argReduce(r, slot: slot, extent: extent, body: body.rewritten(f))
        }
        return f(node)
    }

    /// The direct sub-expressions, in evaluation order.
    var children: [LExpr] {
        switch self {
        case .const, .slot: return []
        case .unary(_, let a), .cast(_, let a): return [a]
        case .binary(_, let a, let b): return [a, b]
        case .select(let c, let a, let b): return [c, a, b]
        case .call(_, let args): return args
        case .load(_, let o, let ok, let fb): return [o, ok] + (fb.map { [$0] } ?? [])
        case .reduce(_, _, _, let body), .argReduce(_, _, _, let body): return [body]
        }
    }

    /// How many nodes the expression has (inlining is bounded by it).
    public var size: Int { 1 + children.reduce(0) { $0 + $1.size } }

    /// How many loads of `buffer` the expression holds.
    func loadCount(of buffer: Int) -> Int {
        var own = 0
        if case .load(let b, _, _, _) = self, b == buffer { own = 1 }
        return own + children.reduce(0) { $0 + $1.loadCount(of: buffer) }
    }

    /// Whether any reduction occurs in the expression.
    var reduces: Bool {
        switch self {
        case .reduce, .argReduce: return true
        default: return children.contains { $0.reduces }
        }
    }

    /// The buffers the expression reads.
    var buffersRead: Set<Int> {
        var out: Set<Int> = []
        if case .load(let b, _, _, _) = self { out.insert(b) }
        for c in children { out.formUnion(c.buffersRead) }
        return out
    }

    /// The expression with every slot `k` replaced by `map(k)`, including the slots reductions bind.
    func renamingSlots(_ map: (Int) -> Int) -> LExpr {
        rewritten { e in
            switch e {
            case .slot(let k): return .slot(map(k))
            case .reduce(let r, let slots, let extents, let body): return .reduce(r, slots: slots.map(map), extents: extents, body: body)
            case .argReduce(let r, let slot, let extent, let body): return .argReduce(r, slot: map(slot), extent: extent, body: body)
            default: return e
            }
        }
    }

    /// The expression with every read of buffer `b` renamed by `map`.
    func renamingBuffers(_ map: (Int) -> Int) -> LExpr {
        rewritten { e in
            if case .load(let b, let o, let ok, let fb) = e { return .load(buffer: map(b), offset: o, inBounds: ok, fallback: fb) }
            return e
        }
    }
}
