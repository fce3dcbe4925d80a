import Backends
import ModelIR
import TensorCore

/// Names the compiler pass a failing test needs, so that one pass bug is one finding.
///
/// A bug in a loop pass shows on many operators, shapes and levels, as a mismatch on one test and as NaN on the
/// next; what stays the same is that switching that pass off makes the test pass. The bisection switches each pass
/// off in turn (through the backend's `passSwitches`: on its fast variant when that fails too, else on the failing
/// backend itself) and keeps the last one in pipeline order whose absence mends the test: an earlier pass switched
/// off may merely hide the shapes a later, faulty one breaks on.
public struct CulpritPass: Sendable {
    let oracle: Oracle

    public init(oracle: Oracle) { self.oracle = oracle }

    /// The culprit's name, or nil when no single pass mends the test (a bug of lowering or code generation) or the
    /// backend has no passes to switch off.
    public func find(_ backend: any Backend, run: BackendRun, model: Model, inputs: [String: Tensor], expected: [Tensor]) -> String? {
        guard run.verdict != .hang, run.verdict != .pass, let switches = backend.passSwitches else { return nil }
        func fails(_ b: any Backend) -> Bool {
            oracle.run(b, name: run.backend, model: model, inputs: inputs, expected: expected).verdict != .pass
        }
        // The fast variant (the VM) when it fails too; else the failing backend itself (a C compiler run per pass).
        let fast = fails(switches.variant([], true))
        return switches.passes.reversed().first { pass in !fails(switches.variant([pass], fast)) }
    }
}
