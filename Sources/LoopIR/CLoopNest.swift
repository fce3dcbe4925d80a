/// A kernel's loop nest in C: a `for` per loop (OpenMP's pragma before a parallel one), unrolled and vector loops
/// written out iteration by iteration, and `out[position] = value;` at each store.
enum CLoopNest {
    /// The statements of `nest`, storing `value` (C text over the slots `s<k>`).
    static func text(_ nest: LoopNest, value: String) -> String {
        switch nest {
        case .store(let position): return "out[\(position)] = \(value);"
        case .sequence(let parts): return parts.map { text($0, value: value) }.joined(separator: " ")
        case .loop(let l): return loop(l, value: value)
        }
    }

    private static func loop(_ l: Loop, value: String) -> String {
        let body = text(l.body, value: value)
        let v = "s\(l.variable)"
        switch l.kind {
        case .unrolled, .vector:
            // The builder gives these a constant trip count: one block per iteration, the variable a constant offset.
            guard let n = l.tripCount else { preconditionFailure("an unrolled loop without a constant trip count") }
            return (0..<n).map { k in "{ int64_t \(v) = \(l.lower + k * l.step); \(body) }" }.joined(separator: " ")
        case .serial, .parallel:
            let step = l.step == 1 ? "\(v)++" : "\(v) += \(l.step)"
            let header = "for (int64_t \(v) = \(l.lower); \(v) < \(l.upper); \(step))"
            // OpenMP splits the loop across cores; without -fopenmp the pragma is ignored.
            let split = l.kind == .parallel ? "\n#pragma omp parallel for schedule(static)\n" : ""
            return "\(split)\(header) { \(body) }"
        }
    }
}
