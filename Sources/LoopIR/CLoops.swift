/// A kernel's loop nest in C, as its schedule lays it out: tiles, vector or unrolled chunks, remainders.
enum CLoops {
    static func nest(_ shape: [Int], _ s: LoopSchedule, _ faults: Set<Fault>, store value: String) -> String {
        guard !shape.isEmpty else { return "out[0] = \(value);" }
        let rank = shape.count
        var order = Array(0..<rank)
        if s.reorder && rank >= 2 { order.swapAt(rank - 1, rank - 2) }
        let inner = order[rank - 1], extent = shape[inner]
        var strides = LoopOrder.strides(shape)
        if s.reorder && rank >= 2 && faults.contains(.reorderWrongStride) {
            let swapped = LoopOrder.strides(order.map { shape[$0] })
            strides = (0..<rank).map { d in swapped[order.firstIndex(of: d)!] }
        }
        let position = (0..<rank).map { "s\($0) * \(strides[$0])" }.joined(separator: " + ")
        func body(_ e: String) -> String { "{ int64_t s\(inner) = \(e); out[\(position)] = \(value); }" }
        let width = s.vector > 0 ? s.vector : s.unroll
        var innerLoop: String
        if width > 0 {
            let chunk = (0..<width).map { body("i + \($0)") }.joined(separator: " ")
            let tailEnd = s.vector > 0 && faults.contains(.vectorTailDropped) ? "lo" : s.vector == 0 && faults.contains(.unrollRemainderShort) ? "hi - 1" : "hi"
            innerLoop = "int64_t i = lo; for (; i + \(width) <= hi; i += \(width)) { \(chunk) } for (; i < \(tailEnd); i++) \(body("i"))"
            if tailEnd == "lo" { innerLoop = "int64_t i = lo; for (; i + \(width) <= hi; i += \(width)) { \(chunk) }" }
        } else {
            innerLoop = "for (int64_t i = lo; i < hi; i++) \(body("i"))"
        }
        // OpenMP splits the outermost loop across cores; without -fopenmp the pragma is ignored.
        let split = "\n#pragma omp parallel for schedule(static)\n"
        var loop: String
        if s.tile > 0 {
            let tiles = faults.contains(.tileRemainderDropped) ? extent / s.tile : (extent + s.tile - 1) / s.tile
            loop = "for (int64_t t = 0; t < \(tiles); t++) { int64_t lo = t * \(s.tile); int64_t hi = lo + \(s.tile) < \(extent) ? lo + \(s.tile) : \(extent); \(innerLoop) }"
            if s.parallel && rank == 1 { loop = split + loop }
        } else {
            loop = "{ int64_t lo = 0, hi = \(extent); \(innerLoop) }"
        }
        for (k, d) in order.dropLast().enumerated().reversed() {
            loop = (s.parallel && k == 0 ? split : "") + "for (int64_t s\(d) = 0; s\(d) < \(shape[d]); s\(d)++) { \(loop) }"
        }
        return loop
    }
}
