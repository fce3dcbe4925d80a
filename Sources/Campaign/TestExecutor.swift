import Backends
import Compiler
import Foundation
import Generator
import LoopIR
import ModelIR
import ONNX
import Reference
import SpecLib
import TensorCore

/// Runs one campaign test from start to verdict: prepare, stage the files, run every backend, judge, localize.
///
/// Runs inside a worker process; the staging folder holds the test's model and inputs before any backend runs, so
/// that if a backend kills the process the parent still has the test to file.
public struct TestExecutor: Sendable {
    public let plan: TestPlan
    public let backends: [(name: String, backend: any Backend)]
    public let workerFaults: Set<WorkerFault>
    let oracle: Oracle

    public init(plan: TestPlan, backends: [(name: String, backend: any Backend)], workerFaults: Set<WorkerFault> = []) {
        self.plan = plan
        self.backends = backends
        self.workerFaults = workerFaults
        self.oracle = Oracle(library: plan.library)
    }

    /// Runs global test `index`; `progress` receives `compile NAME` / `execute NAME` before each stage.
    public func run(index: Int, staging: String?, progress: (String) -> Void = { _ in }) -> TestReport {
        let start = Date()
        if let dir = staging { try? FileManager.default.removeItem(atPath: dir) }
        let test: PreparedTest
        do { test = try plan.prepare(index: index) } catch {
            return TestReport(index: index, seed: TestPlan.testSeed(campaign: plan.config.seed, index: index),
                              verdict: .invalid, detail: "generation failed: \(oneLine(error))")
        }
        if let dir = staging { try? Staging.writeTest(test, to: dir) }
        return evaluate(test, staging: staging, start: start, progress: progress)
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
        return evaluate(test, staging: saveOutputs ? folder : nil, start: start, progress: progress)
    }

    /// Runs every backend on a prepared test and judges it.
    func evaluate(_ test: PreparedTest, staging: String?, start: Date, progress: (String) -> Void) -> TestReport {
        var coverage = Coverage()
        coverage.add(test.model, library: plan.library)
        if let why = test.invalidReason {
            return TestReport(index: test.index, seed: test.seed, verdict: .invalid, detail: why, coverage: coverage,
                              seconds: Date().timeIntervalSince(start))
        }
        let expected = TestPlan.expected(test)
        var runs: [BackendRun] = []
        for (k, entry) in backends.enumerated() {
            let run = oracle.run(entry.backend, name: entry.name, model: test.model, inputs: test.inputs, expected: expected) { stage in
                progress("\(stage.rawValue) \(entry.name)")
                if stage == .execute, k == 0 { fireWorkerFaults(seed: test.seed) }
            }
            runs.append(entry.backend is OnnxRuntimeBackend ? explained(Self.ignoringUnsupported(run), entry.backend, test) : run)
        }
        var report = judge(test, runs: runs, coverage: coverage)
        report.seconds = Date().timeIntervalSince(start)
        if report.verdict.isFinding, let dir = staging { try? Staging.writeOutputs(runs, test: test, to: dir) }
        return report
    }

    private func fireWorkerFaults(seed: UInt64) {
        for f in WorkerFault.allCases where workerFaults.contains(f) && f.fires(seed: seed) { f.fire() }
    }

    /// The test's verdict from its backend runs: the first failing backend decides; others failing the same way
    /// are listed with it.
    func judge(_ test: PreparedTest, runs: [BackendRun], coverage: Coverage) -> TestReport {
        guard let first = runs.first(where: { $0.verdict != .pass }) else {
            return TestReport(index: test.index, seed: test.seed, verdict: .pass, coverage: coverage)
        }
        let same = runs.filter { $0.verdict == first.verdict && $0.stage == first.stage }.map(\.backend)
        var operators: [String] = []
        var opClass = ""
        if first.verdict == .mismatch || first.verdict == .nan,
           let entry = backends.first(where: { $0.name == first.backend }) {
            let localizer = Localizer(oracle: oracle)
            if let node = localizer.firstDivergence(entry.backend, name: entry.name, model: test.model, inputs: test.inputs,
                                                    reference: test.reference, failingOutput: first.divergingOutput) {
                operators = [test.model.nodes[node].op]
                opClass = plan.library.spec(named: operators[0]).map { OpClass.of($0).rawValue } ?? ""
            }
        }
        var culprit: String?
        if let compiler = backends.first(where: { $0.name == first.backend })?.backend as? CompilerBackend {
            culprit = CulpritPass(oracle: oracle).find(compiler, run: first, model: test.model, inputs: test.inputs,
                                                       expected: TestPlan.expected(test))
        }
        if operators.isEmpty, let named = first.message.split(separator: ":").first.map(String.init),
           test.model.nodes.contains(where: { $0.op == named }) {
            operators = [named]  // a backend error that names its operator ("Div: index out of range ...")
        }
        return TestReport(index: test.index, seed: test.seed, verdict: first.verdict, stage: first.stage, backends: same,
                          operators: operators, operatorClass: opClass, detail: first.message,
                          operatorNames: Set(plan.library.operators.map(\.name)), culpritPass: culprit, coverage: coverage)
    }

    /// An external runtime's mismatch that only its tolerated rounding, made large by a discontinuous operator,
    /// explains (see `AmplifiedRounding`) counts as a pass.
    private func explained(_ run: BackendRun, _ backend: any Backend, _ test: PreparedTest) -> BackendRun {
        guard run.verdict == .mismatch || run.verdict == .nan,
              let found = Localizer(oracle: oracle).divergence(backend, name: run.backend, model: test.model, inputs: test.inputs,
                                                               reference: test.reference, failingOutput: run.divergingOutput),
              let outputs = found.outputs,
              AmplifiedRounding(library: plan.library, oracle: oracle).explains(node: found.node, outputs: outputs, backend: backend,
                                                                                model: test.model, inputs: test.inputs)
        else { return run }
        var r = run
        r.verdict = .pass
        r.message = ""
        return r
    }

    /// An external runtime that cannot run the model at all (no kernel, bf16 across numpy) is not a finding: the run
    /// counts as a pass.
    static func ignoringUnsupported(_ run: BackendRun) -> BackendRun {
        guard run.verdict == .crash, OnnxRuntimeBackend.isRuntimeLimitation(message: run.message) else { return run }
        var r = run
        r.verdict = .pass
        return r
    }
}
