import Backends
import Foundation
import Generator
import InputSearch
import ModelIR
import Oracle
import Reference
import SpecLib
import TensorCore

/// Runs one campaign test from start to verdict: prepare, stage the files, run every backend, judge, localize.
///
/// Runs inside a worker process; the staging folder holds the test's model and inputs before any backend runs, so
/// that if a backend kills the process the parent still has the test to file.
public struct TestExecutor: Sendable {
    public let plan: TestPlan
    public let backends: [NamedBackend]
    public let workerFaults: Set<WorkerFault>
    let oracle: Oracle

    public init(plan: TestPlan, backends: [NamedBackend], workerFaults: Set<WorkerFault> = []) {
        self.plan = plan
        self.backends = backends
        self.workerFaults = workerFaults
        var oracle = Oracle(library: plan.library)
        oracle.toleranceScale = plan.config.toleranceScale ?? 1
        self.oracle = oracle
    }

    /// Starts the process of every outside backend now: its worker host imports a compiler, which takes seconds. A
    /// campaign worker does this before it says `ready`, so that a worker restarted after a hang does not spend the
    /// next test's time limit on it (and make that test a hang too).
    public func startBackends() {
        for b in backends { _ = b.backend.unavailableReason() }
    }

    /// Runs global test `index`; `progress` receives `compile NAME` / `execute NAME` before each stage.
    /// `focus` and `arm` steer its generation (`RuleSteering`, `YieldSchedule`); `only` names the one backend it runs
    /// (`YieldSchedule.focus`), all of them when nil. The report records them.
    public func run(index: Int, focus: [String] = [], arm: String? = nil, only: String? = nil, staging: String?,
                    progress: (String) -> Void = { _ in }) -> TestReport {
        let start = Date()
        if let dir = staging { try? FileManager.default.removeItem(atPath: dir) }
        let test: PreparedTest
        do { test = try plan.prepare(index: index, focus: focus, arm: arm.flatMap(ScheduleArm.named)) } catch {
            var report = TestReport(index: index, seed: TestPlan.testSeed(campaign: plan.config.seed, index: index),
                                    verdict: .invalid, detail: "generation failed: \(oneLine(error))")
            report.focus = focus.isEmpty ? nil : focus
            report.arm = arm
            return report
        }
        if let dir = staging { try? Staging.writeTest(test, to: dir) }
        let chosen = only.map { name in backends.filter { $0.name == name } } ?? []
        var report = evaluate(test, backends: chosen.isEmpty ? backends : chosen, staging: staging, start: start, progress: progress)
        report.focus = focus.isEmpty ? nil : focus
        report.arm = test.arm?.name
        report.only = chosen.isEmpty ? nil : only
        return report
    }

    /// Reruns the test saved in a finding folder (`model.txt`, `inputs/*.pb`), as `replay` does.
    /// With `saveOutputs`, a failing test's outputs (reference and backends) are written into the folder.
    public func run(folder: String, index: Int, seed: UInt64, saveOutputs: Bool = false,
                    progress: (String) -> Void = { _ in }) throws -> TestReport {
        let start = Date()
        let (model, inputs) = try Staging.readTest(folder, library: plan.library)
        var test = PreparedTest(index: index, seed: seed, model: model, inputs: inputs, reference: [:])
        do { test.reference = try Interpreter.run(model, library: plan.library, inputs: inputs) } catch {
            test.invalidReason = "the reference rejected the test: \(oneLine(error))"
        }
        return evaluate(test, backends: backends, staging: saveOutputs ? folder : nil, start: start, progress: progress)
    }

    /// Runs `backends` (every backend, or the one a focused test runs) on a prepared test and judges it.
    func evaluate(_ test: PreparedTest, backends: [NamedBackend], staging: String?, start: Date, progress: (String) -> Void) -> TestReport {
        var coverage = Coverage()
        coverage.add(test.model, library: plan.library)
        if let pattern = test.boundary { coverage.valuePatterns[pattern.rawValue] = 1 }
        if let why = test.invalidReason {
            return TestReport(index: test.index, seed: test.seed, verdict: .invalid,
                              triage: test.undefinedBehaviour ? .undefinedBehaviour : nil, detail: why, coverage: coverage,
                              seconds: Date().timeIntervalSince(start))
        }
        let expected = TestPlan.expected(test)
        for b in backends { _ = b.backend.feedback?.drain() }
        let runs = oracle.runAll(backends, model: test.model, inputs: test.inputs, reference: test.reference,
                                 expected: expected) { k, stage in
            progress("\(stage.rawValue) \(backends[k].name)")
            if stage == .execute, k == 0 { fireWorkerFaults(seed: test.seed) }
        }
        // Every backend has answered; what follows is graphsmith's own analysis (localizing a failure reruns the
        // backends on cut models), which the test's time limit does not cover (see `TestWorker`).
        if runs.contains(where: { $0.verdict != .pass }) { progress(TestWorker.judging) }
        // What the compiler did to this model, read before judging: localizing reruns the backends on cut models.
        let fed = backends.reduce(into: Set<String>()) { $0.formUnion($1.backend.feedback?.drain() ?? []) }
        for entry in fed { coverage.compiler[entry] = 1 }
        let j = oracle.judge(runs, backends: backends, model: test.model, inputs: test.inputs, reference: test.reference,
                             expected: expected)
        var report = TestReport(test, judgement: j, coverage: coverage)
        report.seconds = Date().timeIntervalSince(start)
        report.outcomes = runs.map { BackendOutcome(backend: $0.backend, triage: $0.triage, message: $0.message) }
        if report.verdict.isFinding, let dir = staging { try? Staging.writeOutputs(runs, test: test, to: dir) }
        return report
    }

    private func fireWorkerFaults(seed: UInt64) {
        for f in WorkerFault.allCases where workerFaults.contains(f) && f.fires(seed: seed) { f.fire() }
    }
}

extension TestExecutor {
    /// The executor a campaign worker runs for `config`: its generator settings (with the feasibility check unless
    /// switched off), inputs from the input search, and its backends with its faults injected, passes switched off
    /// and native code built as the config says.
    public init(config: CampaignConfig, library: SpecLibrary) throws {
        let faults = WorkerLoop.faults(config.faults)
        let plan = try TestPlan(library: library, config: config, generatorConfig: try config.generator.config(),
                                feasibility: config.generator.feasibility(library: library),
                                preparer: SearchInputPreparer(library: library))
        let registry = BackendRegistry.load(plugins: config.plugins)
        let backends: [NamedBackend] = try config.backends.map { name in
            guard let b = registry.make(name, library: library, faults: faults.compiler, timeout: config.testTimeout,
                                        disabledPasses: Set(config.disabledPasses), nativeBuild: config.nativeBuild) else {
                throw CampaignError.usage("unknown backend '\(name)' in the campaign's config.json")
            }
            return (name: name, backend: b)
        }
        self.init(plan: plan, backends: backends, workerFaults: faults.worker)
    }
}
