/// A kernel's loop nest in C: a `for` per loop (OpenMP's pragma before a parallel one), unrolled and vector loops
/// written out iteration by iteration, and `out[position] = value;` at each store.
enum CLoopNest {
    /// A kernel's one reduction in pieces (`ReductionJam`), for the unrolled and vector chunks that store directly.
    struct Jam {
        /// The slot `value` reads the reduction's result from.
        var hole: Int
        /// The accumulator's C type, its seed, the reduction's loops and one iteration (over `v` and `acc`).
        var type: String, seed: String, loops: String, step: String
        /// What is stored, over `s<hole>`.
        var value: String
    }

    /// The statements of `nest`, storing `value` (C text over the slots `s<k>`); with `jam`, the chunks whose
    /// iterations store directly run their reductions in one loop, an accumulator per iteration.
    static func text(_ nest: LoopNest, value: String, jam: Jam? = nil) -> String {
        switch nest {
        case .store(let position): return "out[\(position)] = \(value);"
        case .sequence(let parts): return parts.map { text($0, value: value, jam: jam) }.joined(separator: " ")
        case .loop(let l): return loop(l, value: value, jam: jam)
        }
    }

    private static func loop(_ l: Loop, value: String, jam: Jam?) -> String {
        let body = text(l.body, value: value, jam: jam)
        let v = "s\(l.variable)"
        switch l.kind {
        case .unrolled, .vector:
            // The builder gives these a constant trip count: one block per iteration, the variable a constant offset.
            guard let n = l.tripCount else { preconditionFailure("an unrolled loop without a constant trip count") }
            let lanes = (0..<n).map { l.lower + $0 * l.step }
            if let jam, n > 1, case .store(let position) = l.body { return jammed(jam, v, lanes, position) }
            return lanes.map { "{ int64_t \(v) = \($0); \(body) }" }.joined(separator: " ")
        case .serial, .parallel:
            let step = l.step == 1 ? "\(v)++" : "\(v) += \(l.step)"
            let header = "for (int64_t \(v) = \(l.lower); \(v) < \(l.upper); \(step))"
            // OpenMP splits the loop across cores; without -fopenmp the pragma is ignored.
            let split = l.kind == .parallel ? "\n#pragma omp parallel for schedule(static)\n" : ""
            return "\(split)\(header) { \(body) }"
        }
    }

    /// Whether `nest` has an unrolled or vector chunk of several iterations that store directly (what a jam
    /// changes): without one, splitting the kernel's reduction is work for nothing.
    static func hasChunkStores(_ nest: LoopNest) -> Bool {
        switch nest {
        case .store: return false
        case .sequence(let parts): return parts.contains(where: hasChunkStores)
        case .loop(let l):
            if l.kind == .unrolled || l.kind == .vector, (l.tripCount ?? 0) > 1, case .store = l.body { return true }
            return hasChunkStores(l.body)
        }
    }

    /// Iterations `lanes` of a chunk storing at `position`: every lane's reduction in one loop (lane by lane within an
    /// iteration, each into its own accumulator), then every lane's store.
    private static func jammed(_ jam: Jam, _ v: String, _ lanes: [LoopIndex], _ position: LoopIndex) -> String {
        let accs = lanes.indices.map { "jam\($0)" }
        let seeds = accs.map { "\($0) = \(jam.seed)" }.joined(separator: ", ")
        let steps = zip(lanes, accs).map { lane, a in "{ int64_t \(v) = \(lane); \(jam.type) acc = \(a); \(jam.step) \(a) = acc; }" }
        let stores = zip(lanes, accs).map { lane, a in
            "{ int64_t \(v) = \(lane); \(jam.type) s\(jam.hole) = \(a); out[\(position)] = \(jam.value); }"
        }
        return "{ \(jam.type) \(seeds); \(jam.loops) { \(steps.joined(separator: " ")) } \(stores.joined(separator: " ")) }"
    }
}
