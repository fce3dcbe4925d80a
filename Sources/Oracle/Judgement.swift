import Backends
import ModelIR
import SpecLib
import TensorCore

/// One test's verdict over all its backends, with what a finding is filed under.
public struct Judgement: Sendable {
    public var verdict: Verdict
    /// The triage class of the first failing backend's outcome; nil on a pass.
    public var triage: Triage?
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
    public static let pass = Judgement(verdict: .pass, triage: nil, stage: .execute, backends: [], operators: [], operatorClass: "",
                                       detail: "", culpritPass: nil, fingerprint: nil)
}

extension Oracle {
    /// Runs every backend on the test and judges each run. A wrong result that a backend's declared precision
    /// explains is `precision-policy` (see `PrecisionPolicy`); one that only the backend's tolerated rounding, made
    /// large by a discontinuous operator, explains is a pass (`AmplifiedRounding`, for backends that round their own
    /// way). `stage` is called before each stage of backend `k`.
    public func runAll(_ backends: [NamedBackend], model: Model, inputs: [String: Tensor], reference: [String: Tensor],
                       expected: [Tensor], stage: (_ k: Int, _ stage: Stage) -> Void = { _, _ in }) -> [BackendRun] {
        backends.enumerated().map { k, entry in
            let screened = explainedRun(entry.backend, name: entry.name, model: model, inputs: inputs, reference: reference,
                                        expected: expected) { stage(k, $0) }
            // A screening backend's failure is repeated on its exact build, whose run is the one judged.
            guard screened.verdict != .pass, let exact = entry.backend.confirmation else { return screened }
            return explainedRun(exact, name: entry.name, model: model, inputs: inputs, reference: reference,
                                expected: expected) { stage(k, $0) }
        }
    }

    /// One backend's run, a wrong result explained where it can be (`explained`).
    private func explainedRun(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor],
                              reference: [String: Tensor], expected: [Tensor], stage: (Stage) -> Void) -> BackendRun {
        let run = run(backend, name: name, model: model, inputs: inputs, expected: expected, stage: stage)
        guard run.triage == .wrongResult else { return run }
        return explained(run, backend, model: model, inputs: inputs, reference: reference, expected: expected)
    }

    /// The test's verdict from its backend runs: the first failing backend decides; others failing the same way are
    /// listed with it. A wrong result is localized to its first diverging operator, and a failure of a backend with
    /// switchable passes is bisected to its culprit pass.
    public func judge(_ runs: [BackendRun], backends: [NamedBackend], model: Model, inputs: [String: Tensor],
                      reference: [String: Tensor], expected: [Tensor]) -> Judgement {
        guard let first = runs.first(where: { $0.verdict != .pass }) else { return .pass }
        let same = runs.filter { $0.verdict == first.verdict && $0.triage == first.triage && $0.stage == first.stage }
            .map(\.backend)
        // A failing run of a screening backend is its exact build's (`runAll`): localize and bisect on that build.
        let failing = backends.first { $0.name == first.backend }.map { (name: $0.name, backend: $0.backend.confirmation ?? $0.backend) }
        var operators: [String] = []
        var opClass = ""
        var divergent: Int?
        // Localized at the failing backend's precision, so that an f64 model on a backend computing f64 as f32 is
        // filed under the node that is wrong even in f32, not under its first f64 node.
        if first.verdict == .mismatch || first.verdict == .nan, let entry = failing,
           let node = Localizer(oracle: applying(PrecisionPolicy(computesAs: entry.backend.capabilities.computesAs)))
               .firstDivergence(entry.backend, name: entry.name, model: model, inputs: inputs, reference: reference,
                                failingOutput: first.divergingOutput) {
            divergent = node
            operators = [model.nodes[node].op]
            opClass = library.spec(named: operators[0]).map { OpClass.of($0).rawValue } ?? ""
        }
        let found = failing.flatMap {
            CulpritPass(oracle: self).find($0.backend, run: first, model: model, inputs: inputs, expected: expected)
        }
        let culprit = found?.passName
        // No switch mends it: the minimal failing kernel, the operator of the first wrong value, keys it.
        // An outside backend, with no switches, is keyed the same way at its first wrong operator.
        var cause: Cause?
        if let stage = found?.causeStage ?? (failing?.backend.passSwitches == nil ? .runtime : nil), let node = divergent {
            cause = Cause(stage: stage, op: model.nodes[node].op, dtype: model.nodes[node].outputs.first?.type.dtype)
        }
        if operators.isEmpty, let named = first.message.split(separator: ":").first.map(String.init),
           model.nodes.contains(where: { $0.op == named }) {
            operators = [named]  // a backend error that names its operator ("Div: index out of range ...")
        }
        let fingerprint = Fingerprint(verdict: first.verdict, triage: first.triage, stage: first.stage, operatorClass: opClass,
                                      backends: same, message: first.message, operatorNames: Set(library.operators.map(\.name)),
                                      culpritPass: culprit, cause: cause)
        return Judgement(verdict: first.verdict, triage: first.triage, stage: first.stage, backends: same, operators: operators,
                         operatorClass: opClass, detail: first.message, culpritPass: culprit, fingerprint: fingerprint)
    }

    /// A wrong result the backend's declared precision or its tolerated rounding explains: `precision-policy` when a
    /// value does not fit the dtype the backend computes it in, when the outputs agree at the tolerance of that dtype,
    /// or when the first diverging node, touching a dtype the policy covers, is right for its own inputs; a pass
    /// when that node is right for its own inputs without the policy; else the wrong result as it was.
    private func explained(_ run: BackendRun, _ backend: any Backend, model: Model, inputs: [String: Tensor],
                           reference: [String: Tensor], expected: [Tensor]) -> BackendRun {
        let capabilities = backend.capabilities
        let policy = PrecisionPolicy(computesAs: capabilities.computesAs)
        let judging = policy.relaxes(model) ? applying(policy) : self
        if policy != .exact,
           let why = policyExplains(run, policy, judging: judging, model: model, inputs: inputs, reference: reference, expected: expected) {
            return documented(run, why)
        }
        let run = restated(run, judging: judging, expected: expected)
        guard capabilities.rounding == .own,
              let found = Localizer(oracle: judging).divergence(backend, name: run.backend, model: model, inputs: inputs,
                                                                reference: reference, failingOutput: run.divergingOutput),
              let outputs = found.outputs,
              AmplifiedRounding(library: library, oracle: judging).explains(node: found.node, outputs: outputs, backend: backend,
                                                                            model: model, inputs: inputs)
        else { return run }
        let node = model.nodes[found.node], types = model.valueTypes
        if policy.covers(node.inputs.compactMap { types[$0]?.dtype } + node.outputs.map(\.type.dtype)) {
            return documented(run, "\(node.op) is right for its own inputs at the precision it computes in (\(policy.summary(model)))")
        }
        var r = run
        r.verdict = .pass
        r.triage = nil
        r.message = ""
        return r
    }

    /// Why the policy explains every output of `run` that disagrees: it agrees at the tolerance of the precision the
    /// backend computes in, it is computed from a value beyond that precision's range, or (a narrow float computed
    /// wide) it agrees with the reference computed wide (`WidenedReference`). Each output on its own, so that one
    /// overflowing output does not hide that another only differs by the narrower rounding. Nil when some output is
    /// not explained.
    private func policyExplains(_ run: BackendRun, _ policy: PrecisionPolicy, judging: Oracle, model: Model,
                                inputs: [String: Tensor], reference: [String: Tensor], expected: [Tensor]) -> String? {
        guard let outputs = run.outputs, outputs.count == expected.count else { return nil }
        let widening = WidenedReference(policy)
        lazy var wide = widening.applies(to: model) ? widening.outputs(model, library: library, inputs: inputs) : nil
        var why: String?
        for k in outputs.indices where judging.judge([outputs[k]], expected: [expected[k]], name: run.backend).verdict != .pass {
            if let beyond = policy.valueBeyondRange(Self.values(feeding: model.outputs[k], in: model), values: reference) {
                why = why ?? beyond
            } else if let wide, judging.judge([outputs[k]], expected: [wide[k]], name: run.backend).verdict == .pass {
                why = why ?? "outputs agree with the reference computed at the precision it computes in (\(policy.summary(model)))"
            } else if let narrow = widening.inputTolerance(of: model.outputs[k], in: model),
                      [expected[k], wide?[k]].compactMap({ $0 }).contains(where: {
                          Compare.allClose(actual: outputs[k], expected: $0, tolerance: narrow.scaled(by: judging.toleranceScale)).passed
                      }) {
                why = why ?? "outputs computed from values it computes wider agree at those values' tolerance (\(policy.summary(model)))"
            } else {
                return nil
            }
        }
        return why ?? "outputs agree at the tolerance of the precision it computes in (\(policy.summary(model)))"
    }

    /// `run` told by the first output that fails even at the policy's tolerance, when the policy relaxes it: an
    /// earlier output may differ only by the precision the backend computes in, and the message and the localizer
    /// should point at the one that is wrong.
    private func restated(_ run: BackendRun, judging: Oracle, expected: [Tensor]) -> BackendRun {
        guard judging.policy != policy, let outputs = run.outputs else { return run }
        let relaxed = judging.judge(outputs, expected: expected, name: run.backend)
        return relaxed.verdict == .pass ? run : relaxed
    }

    /// `run` as a documented outcome: not a finding, listed apart with `why`.
    private func documented(_ run: BackendRun, _ why: String) -> BackendRun {
        var r = run
        r.verdict = .pass
        r.triage = .precisionPolicy
        r.message = why
        return r
    }

    /// The names of the values output `name` is computed from: itself, the node outputs, inputs and weights before it.
    static func values(feeding name: String, in model: Model) -> [String] {
        let producer = Localizer.producers(model)
        guard producer[name] != nil else { return [name] }
        let prefix = Localizer.prefix(model, computing: [name], producer: producer)
        return prefix.inputs.map(\.name) + prefix.weights.map(\.name) + prefix.nodes.flatMap { $0.outputs.map(\.name) }
    }
}
