import LoopIR
import ModelIR
import SpecLib

/// Everything a pipeline run is configured by: the level, what is switched off, hooks and checking.
///
/// Turning passes (or single rewrite rules) off one at a time is how a wrong result is bisected to the
/// transformation that caused it, so both are plain name sets.
public struct PassContext: Sendable {
    /// Called after each pass that ran, with the pass name and the model it produced.
    public typealias Instrument = @Sendable (_ pass: String, _ model: Model) -> Void

    /// The operator specs: passes instantiate, evaluate and rewrite operators through them.
    public var library: SpecLibrary
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

    /// A context; by default O2, nothing disabled, no instruments, unchecked.
    public init(library: SpecLibrary, level: OptimizationLevel = .O2, disabledPasses: Set<String> = [],
                disabledRules: Set<String> = [], instruments: [Instrument] = [], verify: Bool = false,
                foldElementLimit: Int = 65_536) {
        self.library = library
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

    /// An instrument that hands the text of the model after each run of pass `name` to `sink`.
    public static func dumpAfter(_ name: String, into sink: @escaping @Sendable (String) -> Void) -> Instrument {
        { pass, model in if pass == name { sink(TextWriter.write(model)) } }
    }
}
