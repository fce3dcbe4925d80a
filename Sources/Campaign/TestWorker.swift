import Backends
import Foundation
import Oracle

/// The parent's handle on one worker process: sends a test, waits for its verdict, and turns a dead or silent
/// worker into a crash or hang report. A dead worker is replaced on the next test.
public final class TestWorker: @unchecked Sendable {
    private let executable: String
    private let arguments: [String]
    private var process: WorkerProcess?
    /// Seconds allowed for a worker to start, load the specs and start its outside compilers' hosts (a torch-compile
    /// host compiles once before it answers, which takes minutes on a loaded two-core machine).
    private let startTimeout: Double = 300
    /// The stage a worker reports once every backend has answered and it judges a failure: localizing it reruns the
    /// backends on many cut models (an outside compiler takes up to a second for each), so a slow judgement is not
    /// the backend's hang. It gets `judgingAllowance` times the test's limit of its own; each backend call inside it
    /// is still bounded by the backend's own time limit.
    static let judging = "judge"
    static let judgingAllowance = 5.0

    /// A worker started on first use as `executable arguments...`.
    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    deinit { process?.terminate() }

    /// Runs test `index` (seed `seed`), waiting at most `timeout` seconds for its result.
    /// Runs campaign test `index`, its generation steered toward the rules of `focus`.
    /// `arm` is its schedule arm and `only` the one backend it runs (all when nil).
    func run(index: Int, seed: UInt64, focus: [String] = [], arm: String? = nil, only: String? = nil, timeout: Double) throws -> TestReport {
        // `test I [RULE,...|-] [ARM|-] [BACKEND]`: rule, arm and backend names have no spaces (rules no commas).
        var fields = ["test", String(index), focus.isEmpty ? "-" : focus.joined(separator: ","), arm ?? "-"]
        if let only { fields.append(only) }
        while fields.last == "-" { fields.removeLast() }
        return try request(fields.joined(separator: " "), index: index, seed: seed, timeout: timeout)
    }

    /// Reruns the test saved in `folder` (a finding), as test `index` with `seed`.
    public func run(folder: String, index: Int, seed: UInt64, timeout: Double, saveOutputs: Bool = false) throws -> TestReport {
        try request("\(saveOutputs ? "save" : "file") \(index) \(seed) \(folder)", index: index, seed: seed, timeout: timeout)
    }

    private func request(_ line: String, index: Int, seed: UInt64, timeout: Double) throws -> TestReport {
        let worker = try started()
        try? worker.send(line)
        var lastStage = "prepare"
        var allowed = timeout
        var deadline = Date().addingTimeInterval(allowed)
        while true {
            let line: String
            do {
                line = try worker.readLine(timeout: max(0.01, deadline.timeIntervalSinceNow))
            } catch WorkerProcess.Failure.timedOut {
                let state = worker.isRunning ? "" : " (the worker had \(worker.exitDescription))"
                stop()
                return failure(.hang, index, seed, lastStage, "no result after \(Int(allowed)) s" + state)
            } catch {
                let said = worker.finalStderrTail().split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
                let why = worker.exitDescription
                stop()
                return failure(.crash, index, seed, lastStage, "worker \(why)" + (said.isEmpty ? "" : ": \(said)"))
            }
            if line.hasPrefix("error ") {
                throw CampaignError.io(String(line.dropFirst(6)))
            } else if line.hasPrefix("stage ") {
                lastStage = String(line.dropFirst(6))
                if lastStage == Self.judging {
                    allowed = timeout * Self.judgingAllowance
                    deadline = Date().addingTimeInterval(allowed)
                }
            } else if line.hasPrefix("result ") {
                return try JSONDecoder().decode(TestReport.self, from: Data(line.dropFirst(7).utf8))
            }
        }
    }

    /// Kills the worker process (at the end of a campaign, or after a hang).
    public func stop() {
        process?.terminate()
        process = nil
    }

    private func started() throws -> WorkerProcess {
        if let p = process, p.isRunning { return p }
        let p = try WorkerProcess(executable: executable, arguments: arguments)
        let first: String
        do { first = try p.readLine(timeout: startTimeout) } catch {
            let said = p.finalStderrTail().trimmingCharacters(in: .whitespacesAndNewlines)
            p.terminate()
            throw CampaignError.io("a test worker failed to start (\(p.exitDescription))" + (said.isEmpty ? "" : ": \(said)"))
        }
        guard first == "ready" else { throw CampaignError.io("a test worker said '\(first)' instead of 'ready'") }
        process = p
        return p
    }

    /// The report of a test whose worker died or hung: the stage it was in names the backend.
    private func failure(_ verdict: Verdict, _ index: Int, _ seed: UInt64, _ stageLine: String, _ message: String) -> TestReport {
        let parts = stageLine.split(separator: " ", maxSplits: 1).map(String.init)
        if stageLine == Self.judging {
            // The backends answered; graphsmith's analysis of their answers did not finish: the test says nothing.
            return TestReport(index: index, seed: seed, verdict: .invalid,
                              detail: "judging a failure (localizing it on the backends) did not end: \(message)")
        }
        guard let stage = Stage(rawValue: parts[0]), parts.count > 1 else {
            // Before any backend ran: graphsmith's own test preparation was too slow or died, not the system under test.
            return TestReport(index: index, seed: seed, verdict: .invalid, detail: "test preparation: \(message)")
        }
        return TestReport(index: index, seed: seed, verdict: verdict, stage: stage, backends: [parts[1]], detail: message)
    }
}
