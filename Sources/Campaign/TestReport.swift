import Backends
import Generator
import Oracle

/// What a worker reports for one test: the verdict and what a finding needs, but no tensors (those are staged
/// as files next to the model, so a worker that dies mid-test still leaves its test behind).
public struct TestReport: Codable, Sendable {
    public var index: Int
    public var seed: UInt64
    public var verdict: Verdict
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

    /// A report; `operatorClass` and `operatorNames` feed the fingerprint (see `Fingerprint`), and `detail` is the
    /// failing backend's own message (the fingerprint's message class), `message` that with the backend named.
    public init(index: Int, seed: UInt64, verdict: Verdict, stage: Stage = .execute, backends: [String] = [],
                operators: [String] = [], operatorClass: String = "", detail: String = "", operatorNames: Set<String> = [],
                culpritPass: String? = nil, coverage: Coverage = Coverage(), seconds: Double = 0) {
        self.index = index
        self.seed = seed
        self.verdict = verdict
        self.stage = stage
        self.backends = backends
        self.operators = operators
        self.message = backends.isEmpty ? detail : "\(backends[0]): \(detail)"
        self.culpritPass = culpritPass
        self.fingerprint = verdict.isFinding
            ? Fingerprint(verdict: verdict, stage: stage, operatorClass: operatorClass, backends: backends,
                          message: detail, operatorNames: operatorNames, culpritPass: culpritPass) : nil
        self.coverage = coverage
        self.seconds = seconds
    }

    /// The report of test `test` judged `j`.
    init(_ test: PreparedTest, judgement j: Judgement, coverage: Coverage) {
        self.init(index: test.index, seed: test.seed, verdict: j.verdict, stage: j.stage, backends: j.backends,
                  operators: j.operators, detail: j.detail, culpritPass: j.culpritPass, coverage: coverage)
        fingerprint = j.fingerprint
    }
}
