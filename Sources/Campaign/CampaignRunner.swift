import Foundation
import Generator
import ModelIR
import SpecLib

/// When a campaign run stops: after a time, after a total number of tests, or when interrupted.
public struct RunLimits: Sendable {
    /// Seconds of this run (a resumed campaign gets the full time again).
    public var time: Double?
    /// Total tests of the campaign, counted across resumes.
    public var iterations: Int?
    /// Stop at the first finding (a canary run, a quick check).
    public var stopOnFinding: Bool

    public init(time: Double? = nil, iterations: Int? = nil, stopOnFinding: Bool = false) {
        self.time = time
        self.iterations = iterations
        self.stopOnFinding = stopOnFinding
    }
}

/// Set by SIGINT/SIGTERM: finish the tests in flight, write everything, stop.
nonisolated(unsafe) var campaignStopRequested: sig_atomic_t = 0

/// Drives a campaign: hands test indices to worker processes, records verdicts and findings, reports progress.
public final class CampaignRunner: @unchecked Sendable {
    let store: CampaignStore
    let library: SpecLibrary
    let jobs: Int
    let limits: RunLimits
    let workerCommand: (executable: String, arguments: [String])
    let denominators: CoverageDenominators
    let status: StatusPrinter
    private let lock = NSLock()
    private var issuedThisRun = 0
    private var nextLocal: Int
    private let start = Date()
    private var lastSave = Date.distantPast
    private var lastSample = Date()
    private var testsAtLastSample: Int
    private var lastStats: StatsSample?
    /// Operator names, masked in the messages of outcomes listed apart.
    private lazy var operatorNames = Set(library.operators.map(\.name))

    public init(store: CampaignStore, library: SpecLibrary, jobs: Int, limits: RunLimits,
                workerCommand: (executable: String, arguments: [String]), denominators: CoverageDenominators,
                status: StatusPrinter) {
        self.store = store
        self.library = library
        self.jobs = max(1, jobs)
        self.limits = limits
        self.workerCommand = workerCommand
        self.denominators = denominators
        // Only arms the configuration allows: an arm no test can take would keep the best failure rate untried.
        let generator = try? store.config.generator.config()
        self.arms = store.config.schedule == true ? ScheduleArm.all.filter { a in generator.flatMap(a.apply) != nil }.map(\.name) : []
        self.backendArms = store.config.schedule == true ? BackendArm.names(store.config.backends) : []
        self.status = status
        self.nextLocal = store.state.nextTest
        self.testsAtLastSample = store.state.tests
        self.testsAtStart = store.state.tests
        self.priorElapsed = store.state.elapsed
    }
    private let priorElapsed: Double
    /// The schedule arms tests are spread over (`YieldSchedule`); empty when the campaign does not schedule.
    private let arms: [String]
    /// The backends odd tests may focus on (`BackendArm`); empty when the campaign does not schedule.
    private let backendArms: [String]
    /// Tests done before this run (a resumed campaign's), so the live rate counts this run's tests only.
    private let testsAtStart: Int

    /// Runs until a limit or an interrupt; returns the summary (also written to the directory).
    public func run() throws -> CampaignSummary {
        signal(SIGINT) { _ in campaignStopRequested = 1 }
        signal(SIGTERM) { _ in campaignStopRequested = 1 }
        let group = DispatchGroup()
        for w in 0..<jobs {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                do { try workerLoop(w) } catch {
                    lock.lock(); failures.append(error); lock.unlock()
                    campaignStopRequested = 1
                }
            }
        }
        while group.wait(timeout: .now() + 0.5) == .timedOut {
            lock.lock(); tick(force: false); lock.unlock()
        }
        lock.lock()
        defer { lock.unlock() }
        store.setElapsed(clock)
        let sample = makeSample()
        try store.appendStats(sample)
        try store.saveProgress()
        try store.saveSummary(last: sample)
        status.finish(sample)
        if let e = failures.first { throw e }
        return store.summary(last: sample)
    }

    /// The next local test index, or nil when the run should stop.
    private func nextTest() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if campaignStopRequested != 0 { return nil }
        if limits.stopOnFinding && !store.findings.isEmpty { return nil }
        if let t = limits.time, Date().timeIntervalSince(start) >= t { return nil }
        if let n = limits.iterations, store.state.nextTest + store.state.completedAhead.count + inFlight >= n { return nil }
        while store.state.completedAhead.contains(nextLocal) { nextLocal += 1 }
        defer { nextLocal += 1; inFlight += 1 }
        return nextLocal
    }
    private var inFlight = 0
    /// Errors that stopped a worker thread (the campaign stops and reports the first).
    private var failures: [Error] = []

    private func workerLoop(_ w: Int) throws {
        let staging = "\(store.stagingPath)/w\(w)"
        let worker = TestWorker(executable: workerCommand.executable,
                                arguments: workerCommand.arguments + ["--worker", "\(w)"])
        defer { worker.stop() }
        let plan = (seed: store.config.seed, shard: store.config.shardIndex, count: store.config.shardCount)
        while let k = nextTest() {
            let index = plan.shard + k * plan.count
            let seed = TestPlan.testSeed(campaign: plan.seed, index: index)
            guard let (focus, arm, only) = steer(k) else { break }
            gate.enter()
            let ran = Result { () throws -> TestReport in
                let report = try worker.run(index: index, seed: seed, focus: focus, arm: arm, only: only, timeout: store.config.testTimeout)
                // A finding is filed with what every backend says of its test (which of them fail is part of its id).
                guard report.verdict.isFinding, report.only != nil else { return report }
                return try worker.run(index: index, seed: seed, focus: focus, arm: arm, timeout: store.config.testTimeout)
            }
            gate.leave()
            var report = try ran.get()
            if Self.needsConfirmation(report) {
                report = try gate.solo { try confirmed(report, worker: worker) }
            }
            if report.verdict == .crash || report.verdict == .hang || report.verdict == .flaky { addStagedCoverage(&report, staging) }
            lock.lock()
            defer { lock.unlock() }
            inFlight -= 1
            try handle(report, local: k, staging: staging)
        }
    }

    /// The rules local test `k`'s generation favours (`RuleSteering`) and its arm (`YieldSchedule`, when the campaign
    /// schedules), once every test they depend on has completed (a worker waits for a slow test of the batch before
    /// last); nil when the campaign stops while waiting.
    private func steer(_ k: Int) -> (focus: [String], arm: String?, only: String?)? {
        let needed = RuleSteering.inputs(of: k).upperBound * RuleSteering.batch
        while true {
            lock.lock()
            if store.state.nextTest >= needed {
                defer { lock.unlock() }
                let arm = store.state.schedule.arm(of: k, among: arms)
                let only = store.state.schedule.focus(of: k, among: backendArms).flatMap(BackendArm.backend)
                return (store.state.steering.focus(of: k, rules: denominators.buildableRules), arm, only)
            }
            lock.unlock()
            if campaignStopRequested != 0 {
                lock.lock(); inFlight -= 1; lock.unlock()
                return nil
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Runs one test at a time while a hang or a dead process is confirmed.
    private let gate = SoloGate()

    /// A hang, or a crash of a process (not an error a backend reported, which says what went wrong), may come from a
    /// busy machine: it is filed only when it happens again.
    static func needsConfirmation(_ report: TestReport) -> Bool {
        report.verdict == .hang || (report.verdict == .crash && report.triage != .internalError)
    }

    /// `report` when the test, rerun with the campaign's other workers idle, fails the same way again; what the
    /// rerun found when it is another finding; else the test is `flaky`, counted apart and said in the status line.
    private func confirmed(_ report: TestReport, worker: TestWorker) throws -> TestReport {
        let again = try worker.run(index: report.index, seed: report.seed, focus: report.focus ?? [], arm: report.arm,
                                   timeout: store.config.testTimeout)
        let result = Self.confirmation(report, again: again)
        if result.verdict == .flaky {
            lock.lock()
            status.event("flaky test \(report.index): \(result.message)")
            lock.unlock()
        }
        return result
    }

    /// What a test that needed confirmation (`needsConfirmation`) is, given `again`, its rerun alone: `report` when
    /// it failed the same way, `again` when that is another finding that needs no confirmation, else `flaky`.
    static func confirmation(_ report: TestReport, again: TestReport) -> TestReport {
        if again.verdict == report.verdict { return report }
        if again.verdict.isFinding && !needsConfirmation(again) { return again }
        let detail = "\(report.verdict.rawValue) not repeated when run alone (\(again.verdict.rawValue) then): \(report.message)"
        return TestReport(index: report.index, seed: report.seed, verdict: .flaky, stage: report.stage, detail: detail)
    }

    /// Records one test's report (called with the lock held).
    private func handle(_ report: TestReport, local k: Int, staging: String) throws {
        var newFinding = false
        if report.verdict.isFinding {
            let elapsed = clock
            let repro = ShellCommand.replay("\(store.path)/findings/\(report.fingerprint?.id ?? "")")
            newFinding = try store.record(report, staged: staging, elapsed: elapsed, library: library, repro: repro)
        }
        store.complete(k, verdict: report.verdict, coverage: report.coverage, arm: report.arm,
                       backends: backendArms.isEmpty ? [:] : BackendArm.outcomes(report))
        store.tally(report, operatorNames: operatorNames)
        if newFinding, let id = report.fingerprint?.id {
            let kind = store.known.entry(for: id).map { "known finding \(id) (\($0.note))" } ?? "new finding \(id)"
            status.event("\(kind): \(report.triage?.rawValue ?? report.verdict.rawValue) \(report.message)")
        }
        // A hit changed a finding file: save the counters with it, so that after kill -9 the hit counts and the
        // test counts agree (a test whose hit was saved is never rerun and counted twice).
        tick(force: report.verdict.isFinding)
    }

    /// Saves progress every 2 s (or now), samples the time series every 10 s, refreshes the status line.
    private func tick(force: Bool) {
        let now = Date()
        if force || now.timeIntervalSince(lastSave) >= 2 {
            store.setElapsed(clock)
            try? store.saveProgress()
            lastSave = now
        }
        if now.timeIntervalSince(lastSample) >= sampleInterval {
            let sample = makeSample()
            try? store.appendStats(sample)
            try? store.saveSummary(last: sample)
            lastSample = now
            testsAtLastSample = store.state.tests
            lastStats = sample
        }
        status.update(tests: store.state.tests, findings: store.findings.count,
                      rate: Double(store.state.tests - testsAtStart) / max(0.5, now.timeIntervalSince(start)),
                      coverage: lastStats, elapsed: now.timeIntervalSince(start), limit: limits.time)
    }

    private func makeSample() -> StatsSample {
        let now = Date()
        let c = denominators.report(store.coverage)
        let rate = Double(store.state.tests - testsAtLastSample) / max(0.001, now.timeIntervalSince(lastSample))
        return StatsSample(elapsed: clock,
                           tests: store.state.tests, findings: store.findings.count,
                           hits: store.findings.values.reduce(0) { $0 + $1.hits }, rate: rate,
                           operators: c.operators.covered, operatorsTotal: c.operators.total, pairs: c.pairs.covered,
                           pairsTotal: c.pairs.total, bins: c.attributeBins.covered, binsTotal: c.attributeBins.total)
    }

    /// Seconds between stats samples: 10, or less for short runs so their charts still have points.
    private var sampleInterval: Double { min(10, max(1, (limits.time ?? 600) / 30)) }

    /// Campaign time: the earlier runs' time plus this run's.
    private var clock: Double { priorElapsed + Date().timeIntervalSince(start) }

    /// A crashed or hung test still covered its model: read it from the staging folder.
    private func addStagedCoverage(_ report: inout TestReport, _ staging: String) {
        guard let text = try? String(contentsOfFile: staging + "/model.txt", encoding: .utf8),
              let model = try? TextReader.read(text) else { return }
        report.coverage.add(model, library: library)
    }
}
