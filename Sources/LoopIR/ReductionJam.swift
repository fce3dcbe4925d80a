/// A kernel whose value holds one reduction, split so that the lanes of an unrolled or vector chunk run their
/// reductions in one loop: each lane keeps its own accumulator and adds in its own order, so every output is bit
/// for bit what one reduction after another gives, but the C compiler gets independent chains of additions. With
/// one accumulator per output a matrix product or convolution kernel waits on the latency of each addition.
struct ReductionJam {
    /// The reduction (`.reduce`).
    let reduction: LExpr
    /// The kernel's value with the reduction replaced by slot `hole`.
    let outer: LExpr
    /// A slot no loop or reduction of the kernel uses.
    let hole: Int

    /// The split of `kernel`'s value; nil unless the value holds exactly one reduction (argmax and argmin count),
    /// over at least one value, whose body cannot set an error and does not read the kernel's own target. Then the
    /// reduction may run before any lane stores, and running it where the unsplit code would not (a branch not
    /// taken) cannot be observed.
    static func of(_ kernel: Kernel, firstFreeSlot: Int) -> ReductionJam? {
        guard kernel.body.topReductions == 1, let r = kernel.body.firstReduction,
              case .reduce(let op, _, let extents, let body) = r, ["sum", "prod", "max", "min"].contains(op),
              extents.reduce(1, *) > 0, !body.canFail, !r.buffersRead.contains(kernel.target) else { return nil }
        let hole = Swift.max(firstFreeSlot, kernel.slotCount)
        let outer = kernel.body.rewritten { e in
            if case .reduce = e { return .slot(hole) }
            return e
        }
        return ReductionJam(reduction: r, outer: outer, hole: hole)
    }
}

extension LExpr {
    /// Reductions not inside another reduction.
    var topReductions: Int {
        switch self {
        case .reduce, .argReduce: return 1
        default: return children.reduce(0) { $0 + $1.topReductions }
        }
    }

    /// The first reduction not inside another, in evaluation order.
    var firstReduction: LExpr? {
        if case .reduce = self { return self }
        if case .argReduce = self { return self }
        for c in children { if let r = c.firstReduction { return r } }
        return nil
    }

    /// Whether evaluating the expression may set an error: a division or remainder (by zero, when integer), or a
    /// load whose range check is not known to pass and has no fallback.
    var canFail: Bool {
        switch self {
        case .binary(let op, _, _) where op == "/" || op == "%": return true
        case .load(_, _, let inBounds, nil):
            if case .const(let ok) = inBounds, ok.isTrue { return children.contains { $0.canFail } }
            return true
        default: return children.contains { $0.canFail }
        }
    }
}
