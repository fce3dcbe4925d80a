import Backends
import ModelIR
import Reference
import SpecLib
import TensorCore

/// The in-repository compiler as a backend: runs the graph pipeline, then executes the optimized model.
///
/// For now the optimized model runs node by node on the reference evaluator; the loop-IR lowering and the VM
/// and native backends will replace that step. Already the optimization levels differ in which passes run, so
/// comparing them against the reference tests the passes.
public struct CompilerBackend: Backend {
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

    /// A compiler configuration; nothing runs until `compile` or `run`.
    public init(library: SpecLibrary, level: OptimizationLevel = .O2, disabledPasses: Set<String> = [],
                disabledRules: Set<String> = [], verify: Bool = false, pipeline: Pipeline = .standard) {
        self.library = library
        self.level = level
        self.disabledPasses = disabledPasses
        self.disabledRules = disabledRules
        self.verify = verify
        self.pipeline = pipeline
    }

    /// `compiler-O2`.
    public var name: String { "compiler-\(level)" }

    /// The pass context this configuration compiles with.
    public var context: PassContext {
        PassContext(library: library, level: level, disabledPasses: disabledPasses, disabledRules: disabledRules, verify: verify)
    }

    /// Runs the graph pipeline on `model`.
    public func compile(_ model: Model) throws -> CompiledModel {
        try pipeline.compile(model, context: context)
    }

    /// Compiles `model` and runs the result; compile and run failures are `BackendError`s naming this backend.
    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        let compiled: CompiledModel
        do { compiled = try compile(model) } catch let e as PassError {
            throw BackendError(backend: name, kind: .error, message: e.description)
        }
        do {
            return try Interpreter.outputs(compiled.model, library: library, inputs: inputs)
        } catch let e as ReferenceError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        }
    }
}
