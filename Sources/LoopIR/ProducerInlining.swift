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
        var work = Inlining(op)
        for k in op.kernels.indices where work.kernels[k]?.inlinable == true { work.inline(k) }
        return work.op
    }

    /// The kernels of one op while producers are inlined, by their index in the op (a removed one is nil), with
    /// the kernels that may read each buffer. Each inlining edits only the producer and its readers, so a fused
    /// chain of N members costs O(N); rescanning every kernel for readers and copying the op per inlining made it
    /// O(N²).
    struct Inlining {
        var kernels: [Kernel?]
        var bufferShapes: [[Int]]
        /// Kernel indices that may read each buffer: a superset of the real readers (each is checked).
        var mayRead: [Int: Set<Int>] = [:]
        let base: LoweredOp

        init(_ op: LoweredOp) {
            base = op
            kernels = op.kernels
            bufferShapes = op.bufferShapes
            for (k, kernel) in op.kernels.enumerated() { for b in kernel.body.buffersRead { mayRead[b, default: []].insert(k) } }
        }

        var op: LoweredOp {
            var o = base
            o.kernels = kernels.compactMap { $0 }
            o.bufferShapes = bufferShapes
            return o
        }

        /// Inlines kernel `k` into every later kernel that reads it and removes it, unless it should stay.
        mutating func inline(_ k: Int) {
            guard let p = kernels[k] else { return }
            let count = p.shape.reduce(1, *)
            guard count > 0 else { return }
            // The same readers, in the same order, as a scan of the later kernels would find.
            let readers = (mayRead[p.target] ?? []).filter { $0 > k && kernels[$0].map { $0.body.loadCount(of: p.target) > 0 } == true }.sorted()
            guard !readers.isEmpty else { return }
            var bodies: [(Int, LExpr, Int)] = []
            for r in readers {
                let reader = kernels[r]!
                let loads = reader.body.loadCount(of: p.target)
                // A reduction is inlined only where it is computed once per element it produced (an epilogue).
                if p.body.reduces && (readers.count > 1 || loads > 1 || reader.shape.reduce(1, *) > count) { return }
                guard reader.body.size + loads * p.body.size <= sizeLimit else { return }
                bodies.append((r, substitute(p, at: reader.slotCount, in: reader.body), reader.slotCount + p.slotCount))
            }
            let read = p.body.buffersRead
            for (r, body, slots) in bodies {
                kernels[r]!.body = body
                kernels[r]!.slotCount = slots
                for b in read { mayRead[b, default: []].insert(r) }
            }
            kernels[k] = nil
            // The stage is no longer written or read: it needs no storage.
            bufferShapes[p.target] = [0]
        }
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
