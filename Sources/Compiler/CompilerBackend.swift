import Backends
import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore

/// The in-repository compiler as a backend: runs the graph pipeline, then executes the optimized model.
///
/// The optimized model then runs on an executor: the loop-IR VM (default), native code, or the reference
/// evaluator (to test the graph passes alone). The optimization levels are themselves a differential oracle.
public struct CompilerBackend: Backend {
    /// What runs the optimized model.
    public enum Executor: String, Sendable, CaseIterable {
        case vm, native, reference
    }

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

    /// A compiler configuration; nothing runs until `compile` or `run`.
    public init(library: SpecLibrary, level: OptimizationLevel = .O2, disabledPasses: Set<String> = [],
                disabledRules: Set<String> = [], verify: Bool = false, pipeline: Pipeline = .standard,
                executor: Executor = .vm, faults: Set<Fault> = []) {
        self.library = library
        self.faults = faults
        self.executor = executor
        self.level = level
        self.disabledPasses = disabledPasses
        self.disabledRules = disabledRules
        self.verify = verify
        self.pipeline = pipeline
    }

    /// `compiler-O2` (on the VM), `compiler-O2-native`, `compiler-O2-reference`.
    public var name: String { "compiler-\(level)" + (executor == .vm ? "" : "-\(executor.rawValue)") }

    /// The pass context this configuration compiles with.
    public var context: PassContext {
        var c = PassContext(library: library, level: level, disabledPasses: disabledPasses, disabledRules: disabledRules, verify: verify)
        c.faults = faults
        return c
    }

    /// What lowering runs with: the loop passes of this level, the disabled ones, and the faults.
    public var lowering: LoweringOptions {
        LoweringOptions(level: level.rawValue, disabledPasses: disabledPasses, faults: faults)
    }

    /// Runs the graph pipeline on `model`.
    public func compile(_ model: Model) throws -> CompiledModel {
        try pipeline.compile(model, context: context)
    }

    /// The fusion groups the executors run as one operator each: nil (every node alone) unless fusion ran.
    public func groups(_ compiled: CompiledModel) -> [[Int]]? {
        compiled.passesRun.contains(OperatorFusion.pass.name) ? compiled.fusion.groups.map(\.nodes) : nil
    }

    /// Compiles `model` and lowers it for the VM and native executors (one operator per fusion group).
    public func lower(_ model: Model) throws -> LoweredModel {
        let compiled = try compile(model)
        return try LoweredModel(compiled.model, library: library, groups: groups(compiled), options: lowering)
    }

    /// Compiles `model` and runs the result; compile and run failures are `BackendError`s naming this backend.
    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        let compiled: CompiledModel
        do { compiled = try compile(model) } catch let e as PassError {
            throw BackendError(backend: name, kind: .error, message: e.description)
        }
        return try execute(compiled, inputs: inputs)
    }

    /// Runs an already compiled model on this configuration's executor (the second half of `run`, apart so a
    /// caller can tell a compile failure from an execution failure).
    public func execute(_ compiled: CompiledModel, inputs: [String: Tensor]) throws -> [Tensor] {
        do {
            switch executor {
            case .vm: return try VMBackend(library: library, options: lowering).run(compiled.model, inputs: inputs, groups: groups(compiled))
            case .native: return try NativeBackend(library: library, options: lowering).run(compiled.model, inputs: inputs, groups: groups(compiled))
            case .reference: return try Interpreter.outputs(compiled.model, library: library, inputs: inputs)
            }
        } catch let e as ReferenceError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        } catch let e as BackendError {
            throw BackendError(backend: name, kind: e.kind, message: e.message)
        }
    }
}
