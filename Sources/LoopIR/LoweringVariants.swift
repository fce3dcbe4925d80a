/// The implementations the loop IR runs with, one per swappable piece: lowering's rules, each loop pass's loop-nest
/// transformation, the C prelude's float16/bfloat16 rounding and buffer reuse's liveness. The correct ones unless a
/// fault is injected (`init(injecting:)`, the fault registry), which swaps a piece for its faulty variant.
public struct LoweringVariants: Sendable, Hashable, CustomStringConvertible {
    public var rules = LoweringRules()
    public var loops = LoopTransforms()
    public var rounding: HalfRounding = .nearestEven
    public var liveness: Liveness = .lastReader
    public var emission = Emission()
    /// How `simplify-index` decides comparisons from value ranges.
    public var comparison: RangeComparison = .exact
    public init() {}

    /// The pieces with their implementations' names, e.g. `tile=tile-dropping-remainder`.
    public var description: String {
        let pieces: [(String, String)] = [
            ("broadcast-index", rules.broadcastIndex.name), ("padded-limit", rules.paddedLimit.name), ("modulo", rules.modulo.name),
            ("extremum-start", rules.extremumStart.name), ("arg-ties", rules.argTies.name), ("reorder", loops.reorder.name), ("tile", loops.tile.name),
            ("unroll", loops.unroll.name), ("vectorize", loops.vectorize.name), ("parallelize", loops.parallelize.name),
            ("rounding", rounding.name), ("liveness", liveness.name), ("round", emission.round.name),
            ("signed-division", emission.signedDivision.name), ("comparison", comparison.name),
        ]
        return pieces.map { "\($0)=\($1)" }.joined(separator: " ")
    }
}

/// What lowering and the loop passes run with: the level, the passes switched off, and the implementations in use.
/// The compiler derives it from its `PassContext`, the one context of graph and loop passes.
public struct LoweringOptions: Sendable, Hashable {
    /// Called after each loop pass that ran on an operator, with the pass name and the operator it produced.
    public typealias Instrument = @Sendable (_ pass: String, _ op: LoweredOp) -> Void

    public var level = 0
    public var disabledPasses: Set<String> = []
    public var variants = LoweringVariants()
    /// Hooks after every loop pass (dump-after, tests). Not part of what the options compare or hash: they observe.
    public var instruments: [Instrument] = []
    /// Where lowering notes the paths it took, the loop passes that changed something and the fused groups it
    /// built (compiler feedback); nil records nothing. Observes only, like the instruments.
    public var feedback: FeedbackLog?

    public init(level: Int = 0, disabledPasses: Set<String> = [], variants: LoweringVariants = LoweringVariants(),
                instruments: [Instrument] = [], feedback: FeedbackLog? = nil) {
        self.feedback = feedback
        self.level = level
        self.disabledPasses = disabledPasses
        self.variants = variants
        self.instruments = instruments
    }

    public static func == (a: LoweringOptions, b: LoweringOptions) -> Bool {
        a.level == b.level && a.disabledPasses == b.disabledPasses && a.variants == b.variants
    }

    public func hash(into h: inout Hasher) {
        h.combine(level)
        h.combine(disabledPasses)
        h.combine(variants)
    }
}
