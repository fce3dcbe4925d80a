import SpecLang
import SpecLib
import TensorCore

/// Tensor reads and reductions during lowering.
extension Lowering {
    mutating func read(_ t: String, _ items: [IndexItem], _ fallback: Expr?, _ locals: [String: SymValue]) throws -> SymValue {
        let values = try items.map { try lower($0.expr, locals) }
        guard let b = buffers[t] else {
            // An element of a vector: `S[k]`, `pads[0]`.
            let v = try name(t, locals).vector()
            let k = try values[0].constInt()
            if k >= 0 && k < v.count { return .scalar(v[k]) }
            if let d = fallback { return try lower(d, locals) }
            throw LoweringError("element \(k) of '\(t)' is out of range")
        }
        let strides = Tensor.strides(of: b.shape)
        let rules = options.variants.rules
        var offset: [LExpr] = []
        var inBounds: LExpr = .const(.bool(true))
        for (k, value) in values.enumerated() {
            let seg = b.segments[k]
            var index: [LExpr] = try { if case .vector(let v) = value { return v } else { return [try value.scalar()] } }()
            if index.count != seg.count {
                guard fallback == nil, index.count > seg.count else { throw LoweringError("index item \(k + 1) of '\(t)' has \(index.count) entries for \(seg.count) dims") }
                index = Array(index.suffix(seg.count))
            }
            for (j, d) in seg.enumerated() {
                // Without a default, a size-1 dim is read at 0 (broadcasting), as in the reference.
                let broadcast = fallback == nil && b.shape[d] == 1
                if broadcast { paths.insert("lower-broadcast-read") }
                let i = broadcast ? rules.broadcastIndex.implementation(index[j]) : index[j]
                // With a default, an index past the edge reads the default.
                if fallback != nil { paths.insert("lower-padded-read") }
                let ok = fallback != nil ? rules.paddedLimit.implementation(i, b.shape[d])
                    : Fold.binary("&&", Fold.binary(">=", i, .int(0)), Fold.binary("<", i, .int(b.shape[d])))
                inBounds = Fold.binary("&&", inBounds, ok)
                offset.append(Fold.binary("*", i, .int(strides[d])))
            }
        }
        let fb = try fallback.map { try lower($0, locals).scalar() }
        return .scalar(.load(buffer: b.id, offset: Fold.sum(offset), inBounds: inBounds, fallback: fb))
    }

    mutating func reduce(_ r: String, _ binders: [Binder], _ body: Expr, _ locals: [String: SymValue]) throws -> SymValue {
        var inner = locals
        var slots: [Int] = []
        var extents: [Int] = []
        for b in binders {
            let bound = try lower(b.bound, inner)
            if b.isVector {
                let shape = try bound.constInts()
                let s = shape.map { _ in newSlot() }
                slots += s
                extents += shape
                inner[b.name] = .vector(s.map { LExpr.slot($0) })
            } else {
                let s = newSlot()
                slots.append(s)
                extents.append(try bound.constInt())
                inner[b.name] = .scalar(.slot(s))
            }
        }
        let lowered = try lower(body, inner).scalar()
        if r == "argmax" || r == "argmin" {
            paths.insert("lower-arg-reduction")
            let a = ArgReduction(kind: r, slot: slots[0], extent: extents[0], body: lowered, spareSlot: newSlot())
            return .scalar(options.variants.rules.argTies.implementation(a))
        }
        let extremum = r == "max" || r == "min"
        if extremum { paths.insert("lower-extremum-reduction") }
        let kind = extremum ? options.variants.rules.extremumStart.implementation(r) : r
        return .scalar(.reduce(kind, slots: slots, extents: extents, body: lowered))
    }
}
