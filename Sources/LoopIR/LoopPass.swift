/// A named loop pass, run from a level up unless disabled by name: the loop-IR half of the pass list.
public struct LoopPass: Sendable {
    /// What the pass acts on.
    public enum Action: Sendable {
        /// A whole lowered operator (a fused group is one), e.g. inlining one kernel into another.
        case op(@Sendable (LoweredOp, LoweringOptions) -> LoweredOp)
        /// One kernel's expression.
        case kernel(@Sendable (Kernel, LoweringOptions) -> Kernel)
        /// One kernel's schedule, from the kernel.
        case schedule(@Sendable (Kernel) -> LoopSchedule)
        /// Acts when a model runs (the executors ask `LoopPass.enabled`), not on the loop IR.
        case execution
    }

    public let name: String
    public let summary: String
    public let level: Int
    public let action: Action

    /// The loop passes, in order: rewrites of the IR first, then schedules, then execution planning. The schedule
    /// passes are listed in the order `LoopNestBuilder` applies their decisions (the swap of the innermost loops
    /// first, then the tiling, unrolling and vectorizing of the loop that is innermost after it), so that the
    /// culprit search, which names the last pass whose absence mends a test, names the transformation that broke
    /// the loop rather than the swap that handed it a loop with a remainder.
    public static let all: [LoopPass] = [
        LoopPass(name: ProducerInlining.name, summary: "inline the injective producers of a fused group into their reader's loop nest",
                 level: 3, action: .op { op, options in ProducerInlining.run(op, options) }),
        LoopPass(name: IndexSimplification.name, summary: "fold constants and simplify index arithmetic (x*1, x+0, (a*c+b)/c, (a*c+b)%c) by value ranges",
                 level: 1, action: .kernel { k, options in IndexSimplification.run(k, comparison: options.variants.comparison) }),
        LoopPass(name: "loop-reorder", summary: "swap the two innermost loops when the inner one is shorter", level: 2, action: .schedule { k in
            var t = k.schedule
            if k.shape.count >= 2, k.shape[k.shape.count - 1] < k.shape[k.shape.count - 2] { t.reorder = true }
            return t
        }),
        LoopPass(name: "loop-tile", summary: "tile the innermost loop by 8, with a remainder tile", level: 2, action: .schedule { k in
            var t = k.schedule
            if (k.shape.last ?? 0) > 8 { t.tile = 8 }
            return t
        }),
        LoopPass(name: "loop-unroll", summary: "unroll the innermost loop by 4, with a remainder loop", level: 1, action: .schedule { k in
            var t = k.schedule
            if (k.shape.last ?? 0) >= 4 { t.unroll = 4 }
            return t
        }),
        LoopPass(name: "loop-vectorize", summary: "vectorize the innermost loop by 4, with a scalar tail", level: 3, action: .schedule { k in
            var t = k.schedule
            if (k.shape.last ?? 0) >= 4 { t.vector = 4; t.unroll = 0 }
            return t
        }),
        LoopPass(name: "loop-parallelize", summary: "split the outermost loop of a large kernel across cores in native code (OpenMP when cc has it)",
                 level: 3, action: .schedule { k in
            var t = k.schedule
            t.parallel = ParallelPolicy.worthIt(k)
            return t
        }),
        LoopPass(name: BufferReuse.name, summary: "give a value's storage to a later value once its last reader ran (by liveness)",
                 level: 1, action: .execution),
    ]

    /// The passes `options` runs, in order.
    public static func enabled(_ options: LoweringOptions) -> [LoopPass] {
        all.filter { $0.level <= options.level && !options.disabledPasses.contains($0.name) }
    }

    /// Whether the pass named `name` runs under `options`.
    public static func runs(_ name: String, _ options: LoweringOptions) -> Bool {
        enabled(options).contains { $0.name == name }
    }

    /// `op` after every enabled IR and schedule pass.
    public static func run(_ op: LoweredOp, _ options: LoweringOptions) -> LoweredOp {
        var o = op
        for p in enabled(options) {
            var changed = false
            switch p.action {
            case .op(let f):
                let before = o.kernels.count
                o = f(o, options)
                changed = o.kernels.count != before
            case .kernel(let f):
                let before = o.kernels.map(\.body.size)
                o.kernels = o.kernels.map { f($0, options) }
                changed = o.kernels.map(\.body.size) != before
            case .schedule(let f):
                for k in o.kernels.indices {
                    let s = f(o.kernels[k])
                    changed = changed || s != o.kernels[k].schedule
                    o.kernels[k].schedule = s
                }
            case .execution: continue
            }
            if changed { options.feedback?.record("loop", p.name) }
            for instrument in options.instruments { instrument(p.name, o) }
        }
        return o
    }
}

/// When splitting a kernel across cores pays for starting the threads.
enum ParallelPolicy {
    /// Enough work: many elements, or fewer elements that each reduce.
    static func worthIt(_ k: Kernel) -> Bool {
        guard let first = k.shape.first else { return false }
        let count = k.shape.reduce(1, *)
        // The split loop must have several iterations: the outermost loop, or the tile loop of a rank-1 kernel.
        let outer = k.shape.count == 2 && k.schedule.reorder ? k.shape[1] : first
        let chunks = k.shape.count >= 2 ? outer : (k.schedule.tile > 0 ? first / max(1, k.schedule.tile) : 0)
        guard chunks >= 2 else { return false }
        return count >= 32_768 || (k.body.reduces && count >= 64)
    }
}
