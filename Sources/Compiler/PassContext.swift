import LoopIR
import ModelIR
import SpecLib

/// Everything a pipeline run is configured by: the level, what is switched off, hooks and checking.
///
/// Turning passes (or single rewrite rules) off one at a time is how a wrong result is bisected to the
/// transformation that caused it, so both are plain name sets.
public struct PassContext: Sendable {
    /// Called after each pass that ran, graph or loop, with the pass name and the IR it produced.
    public typealias Instrument = @Sendable (_ pass: String, _ ir: PassIR) -> Void

    /// The operator specs: passes instantiate, evaluate and rewrite operators through them.
    public var library: SpecLibrary {
        didSet { ruleTable = RuleTable.derive(from: library) }
    }
    /// The rewrite rules of `library`, derived once per context rather than at every rewriting pass of every model.
    public private(set) var ruleTable: RuleTable
    /// Which passes of the pipeline run.
    public var level: OptimizationLevel
    /// Names of passes that do not run even when the level includes them.
    public var disabledPasses: Set<String>
    /// Names of rewrite rules (`Op.identity`, e.g. `Transpose.inverse`) the rewriting passes skip.
    public var disabledRules: Set<String>
    /// Hooks run after every pass, in order (dump-after, statistics, tests).
    public var instruments: [Instrument]
    /// Checked mode: verify the model after every pass and name the pass that broke it.
    public var verify: Bool
    /// Constant folding only folds nodes whose outputs hold at most this many elements in all,
    /// so a compiled model does not balloon with large precomputed tensors.
    public var foldElementLimit: Int
    /// Which producer and consumer operator fusion puts in one kernel (`FaultInjection` may swap a faulty rule in).
    public var fusionRule: FusionRule = .standard
    /// The implementations lowering and the loop passes run with (`FaultInjection` may swap faulty ones in).
    public var loweringVariants = LoweringVariants()
    /// Where the passes, the rewriting and lowering note what they did (compiler feedback); nil records nothing.
    public var feedback: FeedbackLog?

    /// A context; by default O2, nothing disabled, no instruments, unchecked.
    public init(library: SpecLibrary, level: OptimizationLevel = .O2, disabledPasses: Set<String> = [],
                disabledRules: Set<String> = [], instruments: [Instrument] = [], verify: Bool = false,
                foldElementLimit: Int = 65_536) {
        self.library = library
        ruleTable = RuleTable.derive(from: library)
        self.level = level
        self.disabledPasses = disabledPasses
        self.disabledRules = disabledRules
        self.instruments = instruments
        self.verify = verify
        self.foldElementLimit = foldElementLimit
    }

    /// Whether `pass` runs in this context: the level includes it and it is not disabled.
    public func runs(_ pass: Pass) -> Bool {
        pass.level <= level && !disabledPasses.contains(pass.name)
    }

    /// The same context as lowering and the loop passes read it: level, disabled passes, variants, instruments.
    public var lowering: LoweringOptions {
        let instruments = self.instruments
        return LoweringOptions(level: level.rawValue, disabledPasses: disabledPasses, variants: loweringVariants,
                               instruments: instruments.isEmpty ? [] : [{ pass, op in for i in instruments { i(pass, .loop(op)) } }],
                               feedback: feedback)
    }

    /// An instrument that hands the text of the IR after each run of pass `name` (graph or loop) to `sink`.
    public static func dumpAfter(_ name: String, into sink: @escaping @Sendable (String) -> Void) -> Instrument {
        { pass, ir in if pass == name { sink(ir.text) } }
    }
}

/// What a pass produced, for instruments: a model (graph passes) or one lowered operator (loop passes).
public enum PassIR: Sendable {
    case graph(Model)
    case loop(LoweredOp)

    /// The model in the text format, or the operator's kernels with their loop nests.
    public var text: String {
        switch self {
        case .graph(let model): return TextWriter.write(model)
        case .loop(let op): return op.listing
        }
    }
}

extension LoweredOp {
    /// The operator's kernels, each with its target buffer, shape, body and loop nest, one per line.
    public var listing: String {
        var lines = ["# \(op)"]
        for k in kernels {
            lines.append("  \(k.name) -> b\(k.target)\(k.shape): \(k.body)")
            lines += LoopNestBuilder.nest(k, loops).description.split(separator: "\n").map { "    " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
