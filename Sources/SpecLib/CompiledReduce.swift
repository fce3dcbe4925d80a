import SpecLang
import TensorCore

/// Reductions compiled (`CompiledExpr`): each binder gets a slot of its own, the body and bounds are compiled once,
/// and the accumulation is `Evaluator.reduce`'s, step for step.
extension ExprCompiler {
    mutating func reduce(_ r: String, _ binders: [Binder], _ body: Expr) -> Code {
        let saved = scope
        defer { scope = saved }
        var loops: [(slot: Int, bound: Code, isVector: Bool)] = []
        for b in binders {
            let bound = compile(b.bound)
            let slot = slots
            slots += 1
            scope[b.name] = slot
            loops.append((slot, bound, b.isVector))
        }
        let value = compile(body)
        let ev = ev, binderLoops = loops
        let combine = Self.combiner(r)
        let isArg = r.hasPrefix("arg")
        let first = binderLoops[0].slot
        return { f in
            var accumulator: Scalar?
            var bestIndex = 0
            var accumulation = ev.monitor != nil && (r == "sum" || r == "prod") ? IntegerAccumulation() : nil
            defer { if let a = accumulation { ev.monitor!.reduction(r, a) } }
            try Self.loop(binderLoops[...], &f) { f in
                let x = try value(&f).asScalar()
                if r == "sum" { accumulation?.add(x) } else if r == "prod" { accumulation?.multiply(x) }
                guard let acc = accumulator else {
                    accumulator = x
                    if isArg { bestIndex = try f[first].asInt() }
                    return
                }
                if isArg {
                    // First extreme wins: replace only on a strict improvement.
                    if try ScalarSemantics.binary(r == "argmax" ? .greater : .less, x, acc).isTrue {
                        accumulator = x
                        bestIndex = try f[first].asInt()
                    }
                } else {
                    accumulator = try combine(acc, x)
                }
            }
            if isArg { return .int(bestIndex) }
            return accumulator.map(Value.scalar) ?? Evaluator.emptyReduction(r)
        }
    }

    /// How reduction `r` (not an arg-reduction) combines its accumulator with the next value, as `Evaluator.reduce`.
    static func combiner(_ r: String) -> @Sendable (Scalar, Scalar) throws -> Scalar {
        switch r {
        case "sum": return { try ScalarSemantics.binary(.add, $0, $1) }
        case "prod": return { try ScalarSemantics.binary(.multiply, $0, $1) }
        case "max":
            let max = ScalarSemantics.functions["max"]!.apply
            return { try max([$0, $1]) }
        default:
            let min = ScalarSemantics.functions["min"]!.apply
            return { try min([$0, $1]) }
        }
    }

    /// Runs `body` for every combination of the binders' values, outermost first, each bound read with the outer
    /// binders set (as `Evaluator`'s loop).
    static func loop(_ loops: ArraySlice<(slot: Int, bound: Code, isVector: Bool)>, _ f: inout [Value],
                     _ body: (inout [Value]) throws -> Void) throws {
        guard let b = loops.first else { return try body(&f) }
        try Binder.forEachValue(over: try b.bound(&f), isVector: b.isVector) { v in
            f[b.slot] = v
            try loop(loops.dropFirst(), &f, body)
        }
    }
}
