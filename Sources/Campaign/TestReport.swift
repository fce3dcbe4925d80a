import Backends
import Generator
import Oracle

/// What a worker reports for one test: the verdict and what a finding needs, but no tensors (those are staged
/// as files next to the model, so a worker that dies mid-test still leaves its test behind).
public struct TestReport: Codable, Sendable {
    public var index: Int
    public var seed: UInt64
    public var verdict: Verdict
    /// The triage class of the test: the failing backend's on a finding, `undefined-behaviour` for a test the
    /// reference found to depend on a value ONNX leaves undefined, nil otherwise.
    public var triage: Triage?
    public var stage: Stage
    /// Backends with this verdict (empty on pass/invalid).
    public var backends: [String]
    public var operators: [String]
    public var message: String
    public var fingerprint: Fingerprint?
    /// The compiler pass whose absence mends the test (see `CulpritPass`), when one does.
    public var culpritPass: String?
    /// The tested model's coverage (one model).
    public var coverage: Coverage
    /// Seconds the test took in the worker.
    public var seconds: Double
    /// Every backend's outcome (empty when no backend ran, or the worker died before it could report).
    public var outcomes: [BackendOutcome] = []
    /// The rewrite rules the test's generation favoured (`RuleSteering`); nil when none.
    public var focus: [String]?
    /// The schedule arm the test's generation used (`YieldSchedule`); nil when the campaign does not schedule.
    public var arm: String?
    /// The one backend a focused test ran (`YieldSchedule.focus`); nil when it ran every backend of the campaign.
    public var only: String?

    /// A report; `operatorClass` and `operatorNames` feed the fingerprint (see `Fingerprint`), and `detail` is the
    /// failing backend's own message (the fingerprint's message class), `message` that with the backend named.
    /// `triage` nil is the verdict's own class (a dead worker's crash or hang).
    public init(index: Int, seed: UInt64, verdict: Verdict, triage: Triage? = nil, stage: Stage = .execute, backends: [String] = [],
                operators: [String] = [], operatorClass: String = "", detail: String = "", operatorNames: Set<String> = [],
                culpritPass: String? = nil, coverage: Coverage = Coverage(), seconds: Double = 0) {
        self.index = index
        self.seed = seed
        self.verdict = verdict
        self.triage = triage ?? Triage(legacy: verdict)
        self.stage = stage
        self.backends = backends
        self.operators = operators
        self.message = backends.isEmpty ? detail : "\(backends[0]): \(detail)"
        self.culpritPass = culpritPass
        self.fingerprint = verdict.isFinding
            ? Fingerprint(verdict: verdict, triage: self.triage, stage: stage, operatorClass: operatorClass, backends: backends,
                          message: detail, operatorNames: operatorNames, culpritPass: culpritPass) : nil
        self.coverage = coverage
        self.seconds = seconds
    }

    /// The report of test `test` judged `j`.
    init(_ test: PreparedTest, judgement j: Judgement, coverage: Coverage) {
        self.init(index: test.index, seed: test.seed, verdict: j.verdict, triage: j.triage, stage: j.stage, backends: j.backends,
                  operators: j.operators, detail: j.detail, culpritPass: j.culpritPass, coverage: coverage)
        fingerprint = j.fingerprint
    }
}
