import Backends
import Compiler
import LoopIR
import ModelIR
import TensorCore

/// Names the compiler pass a failing test needs, so that one pass bug is one finding.
///
/// A bug in a loop pass shows on many operators, shapes and levels, as a mismatch on one test and as NaN on the
/// next; what stays the same is that switching that pass off makes the test pass. The bisection switches each pass
/// off in turn (on the VM at the failing level when the VM fails too, else on the failing executor) and keeps
/// the last one in pipeline order whose absence mends the test: an earlier pass switched off may merely hide the
/// shapes a later, faulty one breaks on.
struct CulpritPass {
    let oracle: Oracle

    /// The culprit's name, or nil when no single pass mends the test (a bug of lowering or code generation).
    func find(_ backend: CompilerBackend, run: BackendRun, model: Model, inputs: [String: Tensor], expected: [Tensor]) -> String? {
        guard run.verdict != .hang, run.verdict != .pass else { return nil }
        // On the VM when it fails too (fast); else on the failing executor itself (a C compiler run per pass).
        var executor = CompilerBackend.Executor.vm
        func variant(_ disabled: Set<String>) -> CompilerBackend {
            CompilerBackend(library: backend.library, level: backend.level, disabledPasses: disabled, disabledRules: backend.disabledRules,
                            pipeline: backend.pipeline, executor: executor, faults: backend.faults)
        }
        func fails(_ b: CompilerBackend) -> Bool {
            oracle.run(b, name: run.backend, model: model, inputs: inputs, expected: expected).verdict != .pass
        }
        if backend.executor != .vm, !fails(variant(backend.disabledPasses)) { executor = backend.executor }
        return Self.passNames.filter { !backend.disabledPasses.contains($0) }.reversed().first { pass in
            !fails(variant(backend.disabledPasses.union([pass])))
        }
    }

    /// Every graph and loop pass by name, in pipeline order.
    static var passNames: [String] {
        var seen: Set<String> = []
        return (Pipeline.standard.distinctPasses.map(\.name) + LoopPass.all.map(\.name)).filter { seen.insert($0).inserted }
    }
}
