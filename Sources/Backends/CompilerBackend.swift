import Compiler
import LoopIR
import ModelIR
import Reference
import SpecLib
import Synchronization
import TensorCore

/// The in-repository compiler as a backend: runs the graph pipeline, then executes the optimized model.
///
/// The optimized model then runs on an executor: the loop-IR VM (default), native code, or the reference
/// evaluator (to test the graph passes alone). The optimization levels are themselves a differential oracle.
public struct CompilerBackend: Backend {
    /// What runs the optimized model.
    public typealias Executor = Compiler.Executor

    /// What runs the optimized model.
    public let executor: Executor
    /// The operator specs the compiler and the executor read.
    public let library: SpecLibrary
    /// Which passes run (see `OptimizationLevel`).
    public let level: OptimizationLevel
    /// Passes switched off by name, for bisecting a wrong result to a pass.
    public let disabledPasses: Set<String>
    /// Rewrite rules switched off by name (`Transpose.inverse`).
    public let disabledRules: Set<String>
    /// Checked mode: verify after every pass (slower; names the pass that broke a model).
    public let verify: Bool
    /// The passes, in order (`Pipeline.standard` unless a test swaps it).
    public let pipeline: Pipeline
    /// Injected faults (none unless asked for).
    public let faults: Set<Fault>
    /// What the passes, rewriting and lowering of this configuration did, since a test worker last drained it.
    public let feedback: FeedbackLog?
    /// Which C compiler builds native code (`.exact` unless a campaign screens).
    public let nativeBuild: NativeBuild

    /// A compiler configuration; nothing runs until `compile` or `run`.
    public init(library: SpecLibrary, level: OptimizationLevel = .O2, disabledPasses: Set<String> = [],
                disabledRules: Set<String> = [], verify: Bool = false, pipeline: Pipeline = .standard,
                executor: Executor = .vm, faults: Set<Fault> = [], nativeBuild: NativeBuild = .exact) {
        self.library = library
        self.nativeBuild = nativeBuild
        self.faults = faults
        self.executor = executor
        self.level = level
        self.disabledPasses = disabledPasses
        self.disabledRules = disabledRules
        self.verify = verify
        self.pipeline = pipeline
        var base = PassContext(library: library, level: level, disabledPasses: disabledPasses, disabledRules: disabledRules, verify: verify)
        feedback = FeedbackLog()
        base.feedback = feedback
        configured = FaultInjection.apply(faults, pipeline: pipeline, context: base)
    }

    /// `compiler-O2` (on the VM), `compiler-O2-native`, `compiler-O2-reference`.
    public var name: String { "compiler-\(level)" + (executor == .vm ? "" : "-\(executor.rawValue)") }

    /// The pipeline and pass context this configuration compiles with: the faults' variants swapped in (once, here,
    /// rather than for every model).
    public let configured: (pipeline: Pipeline, context: PassContext)

    /// The pass context this configuration compiles with.
    public var context: PassContext { configured.context }

    /// What lowering runs with: the loop passes of this level, the disabled ones, and the faults.
    public var lowering: LoweringOptions {
        context.lowering
    }

    /// Runs the graph pipeline on `model`.
    public func compile(_ model: Model) throws -> CompiledModel {
        let (pipeline, context) = configured
        return try pipeline.compile(model, context: context)
    }

    /// Compiles `model` and lowers it for the VM and native executors (one operator per fusion group).
    public func lower(_ model: Model) throws -> LoweredModel {
        let compiled = try compile(model)
        return try LoweredModel(compiled.model, library: library, groups: compiled.kernelGroups, options: lowering)
    }

    public var capabilities: BackendCapabilities { .inRepo }

    /// The compile stage: the graph pipeline. Lowering and code generation happen when the model executes.
    public func prepare(_ model: Model) throws -> any PreparedModel {
        do { return Prepared(backend: self, compiled: try compile(model)) } catch let e as PassError {
            throw BackendError(backend: name, kind: .error, message: e.description)
        }
    }

    /// Runs an already compiled model on this configuration's executor (the second half of `run`, apart so a
    /// caller can tell a compile failure from an execution failure).
    public func execute(_ compiled: CompiledModel, inputs: [String: Tensor]) throws -> [Tensor] {
        do {
            return try executor.run(compiled, inputs: inputs, lowering: lowering, build: nativeBuild)
        } catch let e as ExecutionError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        }
    }

    /// A screened native configuration is confirmed on the same configuration built by the system compiler.
    public var confirmation: (any Backend)? {
        guard executor == .native, nativeBuild == .screening else { return nil }
        return CompilerBackend(library: library, level: level, disabledPasses: disabledPasses, disabledRules: disabledRules,
                               verify: verify, pipeline: pipeline, executor: executor, faults: faults)
    }

    /// Every graph and loop pass this configuration runs can be switched off; `fast` bisects on the VM.
    public var passSwitches: PassSwitches? {
        let me = self
        let trace = GraphTrace(runner: ReferenceBackend(library: library)) { me.graphSteps($0) }
        return PassSwitches(passes: PassRegistry.all(pipeline: pipeline).map(\.name).filter { !disabledPasses.contains($0) },
                            graphTrace: trace) { disabled, fast in
            CompilerBackend(library: me.library, level: me.level, disabledPasses: me.disabledPasses.union(disabled),
                            disabledRules: me.disabledRules, verify: me.verify, pipeline: me.pipeline,
                            executor: fast ? .vm : me.executor, faults: me.faults)
        }
    }

    /// The model after each graph pass of this configuration that changed it, in order; nil when compiling fails.
    public func graphSteps(_ model: Model) -> [GraphTrace.Step]? {
        let steps = Mutex<[GraphTrace.Step]>([])
        var (pipeline, context) = configured
        context.instruments.append { pass, ir in
            guard case .graph(let next) = ir else { return }
            steps.withLock { s in if s.last?.model ?? model != next { s.append((pass, next)) } }
        }
        guard (try? pipeline.compile(model, context: context)) != nil else { return nil }
        return steps.withLock { $0 }
    }

    /// A model after the graph pipeline, waiting for its executor.
    struct Prepared: PreparedModel {
        let backend: CompilerBackend
        let compiled: CompiledModel
        func execute(_ inputs: [String: Tensor]) throws -> [Tensor] { try backend.execute(compiled, inputs: inputs) }
    }
}
