import Backends
import ModelIR
import SpecLib
import TensorCore

/// One test's verdict over all its backends, with what a finding is filed under.
public struct Judgement: Sendable {
    public var verdict: Verdict
    public var stage: Stage
    /// The backends that failed the way the first failing one did (empty on a pass).
    public var backends: [String]
    /// The operator at the first diverging value, or the one a backend error names.
    public var operators: [String]
    /// The class of that operator (`OpClass`), empty when none was found.
    public var operatorClass: String
    /// The first failing backend's own message.
    public var detail: String
    /// The compiler pass whose absence mends the test, when one does.
    public var culpritPass: String?
    /// The de-duplication key; nil on a pass.
    public var fingerprint: Fingerprint?

    /// Every backend agreed.
    public static let pass = Judgement(verdict: .pass, stage: .execute, backends: [], operators: [], operatorClass: "",
                                       detail: "", culpritPass: nil, fingerprint: nil)
}

/// The backends of a test, by the names a campaign gives them.
public typealias NamedBackend = (name: String, backend: any Backend)

extension Oracle {
    /// Runs every backend on the test and judges each run. A backend that rounds its own way (its capabilities say
    /// so) passes where its divergence is rounding amplified by a discontinuous operator (`AmplifiedRounding`).
    /// `stage` is called before each stage of backend `k`.
    public func runAll(_ backends: [NamedBackend], model: Model, inputs: [String: Tensor], reference: [String: Tensor],
                       expected: [Tensor], stage: (_ k: Int, _ stage: Stage) -> Void = { _, _ in }) -> [BackendRun] {
        backends.enumerated().map { k, entry in
            let run = run(entry.backend, name: entry.name, model: model, inputs: inputs, expected: expected) { stage(k, $0) }
            guard entry.backend.capabilities.rounding == .own else { return run }
            return explained(run, entry.backend, model: model, inputs: inputs, reference: reference)
        }
    }

    /// The test's verdict from its backend runs: the first failing backend decides; others failing the same way are
    /// listed with it. A wrong result is localized to its first diverging operator, and a failure of a backend with
    /// switchable passes is bisected to its culprit pass.
    public func judge(_ runs: [BackendRun], backends: [NamedBackend], model: Model, inputs: [String: Tensor],
                      reference: [String: Tensor], expected: [Tensor]) -> Judgement {
        guard let first = runs.first(where: { $0.verdict != .pass }) else { return .pass }
        let same = runs.filter { $0.verdict == first.verdict && $0.stage == first.stage }.map(\.backend)
        let failing = backends.first { $0.name == first.backend }
        var operators: [String] = []
        var opClass = ""
        if first.verdict == .mismatch || first.verdict == .nan, let entry = failing,
           let node = Localizer(oracle: self).firstDivergence(entry.backend, name: entry.name, model: model, inputs: inputs,
                                                              reference: reference, failingOutput: first.divergingOutput) {
            operators = [model.nodes[node].op]
            opClass = library.spec(named: operators[0]).map { OpClass.of($0).rawValue } ?? ""
        }
        let culprit = failing.flatMap {
            CulpritPass(oracle: self).find($0.backend, run: first, model: model, inputs: inputs, expected: expected)
        }
        if operators.isEmpty, let named = first.message.split(separator: ":").first.map(String.init),
           model.nodes.contains(where: { $0.op == named }) {
            operators = [named]  // a backend error that names its operator ("Div: index out of range ...")
        }
        let fingerprint = Fingerprint(verdict: first.verdict, stage: first.stage, operatorClass: opClass, backends: same,
                                      message: first.message, operatorNames: Set(library.operators.map(\.name)),
                                      culpritPass: culprit)
        return Judgement(verdict: first.verdict, stage: first.stage, backends: same, operators: operators,
                         operatorClass: opClass, detail: first.message, culpritPass: culprit, fingerprint: fingerprint)
    }

    /// A mismatch that only the backend's tolerated rounding, made large by a discontinuous operator, explains
    /// (see `AmplifiedRounding`) counts as a pass.
    private func explained(_ run: BackendRun, _ backend: any Backend, model: Model, inputs: [String: Tensor],
                           reference: [String: Tensor]) -> BackendRun {
        guard run.verdict == .mismatch || run.verdict == .nan,
              let found = Localizer(oracle: self).divergence(backend, name: run.backend, model: model, inputs: inputs,
                                                             reference: reference, failingOutput: run.divergingOutput),
              let outputs = found.outputs,
              AmplifiedRounding(library: library, oracle: self).explains(node: found.node, outputs: outputs, backend: backend,
                                                                         model: model, inputs: inputs)
        else { return run }
        var r = run
        r.verdict = .pass
        r.message = ""
        return r
    }
}
