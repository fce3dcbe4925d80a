import Backends
import ModelIR
import TensorCore

/// Where a failure of a backend with switchable passes lives, as far as switching things off can tell.
public enum Culprit: Sendable, Hashable {
    /// Switching this pass or lowering path off mends the test.
    case pass(String)
    /// Nothing switched off mends it, and the fast executor (the VM, which runs the same lowered loop IR) fails too:
    /// the bug is in lowering.
    case lowering
    /// Nothing switched off mends it, and only native code fails: the bug is in code generation.
    case codeGeneration

    /// The pass or path, for `.pass`.
    public var passName: String? {
        if case .pass(let name) = self { return name }
        return nil
    }

    /// The cause's stage, for a failure no switch mends.
    public var causeStage: Cause.Stage? {
        switch self {
        case .pass: return nil
        case .lowering: return .lowering
        case .codeGeneration: return .codegen
        }
    }
}

/// Names the compiler pass or lowering path a failing test needs, so that one bug is one finding.
///
/// A bug in a loop pass or a lowering path shows on many operators, shapes and levels, as a mismatch on one test
/// and as NaN on the next; what stays the same is that switching it off makes the test pass. The bisection switches
/// each pass and path off in turn (through the backend's `passSwitches`: on its fast variant when that fails too,
/// else on the failing backend itself) and keeps the last one in pipeline order whose absence mends the test: an
/// earlier pass switched off may merely hide the shapes a later, faulty one breaks on. When none does, whether the
/// fast variant fails too tells lowering from code generation.
///
/// Graph passes are checked first and directly, where the backend hands back its graphs (`GraphTrace`): the first
/// whose graph the reference finds wrong is the culprit. There the order of blame is the other way round (a later
/// graph pass switched off can hide what an earlier one broke), and no switch could tell.
public struct CulpritPass: Sendable {
    let oracle: Oracle

    public init(oracle: Oracle) { self.oracle = oracle }

    /// The culprit, or nil when the backend has no passes to switch off (or the test hung: each try would hang too).
    public func find(_ backend: any Backend, run: BackendRun, model: Model, inputs: [String: Tensor], expected: [Tensor]) -> Culprit? {
        guard run.verdict != .hang, run.verdict != .pass, let switches = backend.passSwitches else { return nil }
        func fails(_ b: any Backend, _ m: Model? = nil) -> Bool {
            oracle.run(b, name: run.backend, model: m ?? model, inputs: inputs, expected: expected).verdict != .pass
        }
        // A graph pass whose own output is wrong is the culprit, whatever switching passes off would say.
        if let trace = switches.graphTrace, let steps = trace.steps(model),
           let broken = steps.first(where: { fails(trace.runner, $0.model) }) {
            return .pass(broken.pass)
        }
        // The fast variant (the VM) when it fails too; else the failing backend itself (a C compiler run per pass).
        let fast = fails(switches.variant([], true))
        if let pass = switches.passes.reversed().first(where: { pass in !fails(switches.variant([pass], fast)) }) {
            return .pass(pass)
        }
        return fast ? .lowering : .codeGeneration
    }
}
