import TensorCore

/// Inlining of injective producers: a fused member's result, kept as a stage by `FusedLowering`, is computed in
/// place at each read in its readers' loop nests, so the group runs as one loop nest without the intermediate.
///
/// A read at flat offset `o` of a producer of shape `S` becomes the producer's body with its loop variable `d`
/// replaced by `(o / stride(d)) % S[d]`; `simplify-index` then folds that back to the reader's own variables.
/// The producer already rounds to its dtype (a cast), so values are exactly those the stage would have held.
public enum ProducerInlining {
    /// The pass's name in `LoopPass.all`.
    public static let name = "inline-injective-producers"
    /// The most nodes a reader's body may grow to by inlining; past it the producer stays a stage (readers that
    /// read their input several times would otherwise grow exponentially along a chain).
    public static let sizeLimit = 3000

    static func run(_ op: LoweredOp, _ options: LoweringOptions) -> LoweredOp {
        var o = op
        var k = 0
        while k < o.kernels.count {
            if o.kernels[k].inlinable, let inlined = inline(k, into: o) {
                o = inlined
            } else {
                k += 1
            }
        }
        return o
    }

    /// `op` with kernel `k` inlined into every later kernel that reads it and removed, or nil when it should stay.
    static func inline(_ k: Int, into op: LoweredOp) -> LoweredOp? {
        let p = op.kernels[k]
        let count = p.shape.reduce(1, *)
        guard count > 0 else { return nil }
        let readers = op.kernels.indices.filter { $0 > k && op.kernels[$0].body.loadCount(of: p.target) > 0 }
        guard !readers.isEmpty else { return nil }
        var out = op
        for r in readers {
            let reader = op.kernels[r]
            let loads = reader.body.loadCount(of: p.target)
            // A reduction is inlined only where it is computed once per element it produced (an epilogue).
            if p.body.reduces && (readers.count > 1 || loads > 1 || reader.shape.reduce(1, *) > count) { return nil }
            guard reader.body.size + loads * p.body.size <= sizeLimit else { return nil }
            out.kernels[r].body = substitute(p, at: reader.slotCount, in: reader.body)
            out.kernels[r].slotCount = reader.slotCount + p.slotCount
        }
        out.kernels.remove(at: k)
        // The stage is no longer written or read: it needs no storage.
        out.bufferShapes[p.target] = [0]
        return out
    }

    /// `body` with every read of `p.target` replaced by `p`'s body; `p`'s own slots move up by `base`.
    static func substitute(_ p: Kernel, at base: Int, in body: LExpr) -> LExpr {
        let strides = Tensor.strides(of: p.shape)
        return body.rewritten { e in
            guard case .load(let b, let offset, let inBounds, let fallback) = e, b == p.target else { return e }
            let index: [LExpr] = p.shape.indices.map { d in
                let q = LExpr.binary("/", offset, .int(strides[d]))
                return d == 0 ? q : .binary("%", q, .int(p.shape[d]))
            }
            let value = p.body.rewritten { x in
                switch x {
                case .slot(let s): return s < p.shape.count ? index[s] : .slot(s + base)
                case .reduce(let r, let slots, let extents, let inner): return .reduce(r, slots: slots.map { $0 + base }, extents: extents, body: inner)
                case .argReduce(let r, let slot, let extent, let inner): return .argReduce(r, slot: slot + base, extent: extent, body: inner)
                default: return x
                }
            }
            if let fb = fallback { return .select(inBounds, value, fb) }
            if inBounds.constant?.isTrue == true { return value }
            // Out of range without a default is an error, as the read it replaces would have been.
            return .select(inBounds, value, .load(buffer: b, offset: .int(0), inBounds: .const(.bool(false)), fallback: nil))
        }
    }
}
