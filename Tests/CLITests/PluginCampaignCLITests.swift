import Foundation
import TestSupport
import XCTest

/// Whole campaigns (`graphsmith fuzz --plugin`) against outside compilers written by the tests as small numpy
/// adapters: a wrong operator is found and reduced to itself, a correct adapter gives nothing, and an adapter that
/// prints to stdout, aborts or sleeps costs neither the protocol nor the rest of the campaign.
final class PluginCampaignCLITests: XCTestCase {
    /// The operators every adapter computes; models without Sigmoid let the aborting and sleeping adapters pass.
    let generator = ["--include", "Add,Mul,Relu,Sigmoid", "--dtypes", "f32", "--nodes", "4", "--max-elements", "256",
                     "--max-rank", "3", "--quiet", "--specs", repositorySpecs]

    /// The Python statement that makes an adapter abort or sleep when the model holds a Sigmoid.
    static func onSigmoid(_ statement: String) -> String { "\(statement) if 'Sigmoid' in ops else None" }

    /// Writes an adapter that runs Add, Mul, Relu and Sigmoid with numpy and calls any other operator unsupported;
    /// `relu` is its Relu of `x`, and `hook` a Python statement run in `prepare` and in `run` (with `ops`, the set of
    /// the model's operator types, in scope). It logs to `PATH.log` a line `prepare OPS` as each model reaches it and
    /// `run OPS` as each is computed, so that a test can tell computed passes from declined models, and a finding
    /// the adapter caused from one of graphsmith's making. Returns the adapter's path.
    func plugin(_ name: String, in folder: URL, relu: String = "np.maximum(x, 0)", hook: String = "None") throws -> String {
        let source = """
            import os, sys, time
            import numpy as np
            import onnx
            from onnx import numpy_helper

            NAME = "\(name)"
            UNSUPPORTED = ["is not supported by this plugin"]

            def version():
                return "0.1"

            def relu(x):
                return \(relu)

            KERNELS = {
                "Add": lambda a, b: a + b,
                "Mul": lambda a, b: a * b,
                "Relu": relu,
                "Sigmoid": lambda x: (1 / (1 + np.exp(-x.astype(np.float64)))).astype(x.dtype),
            }

            def log(event, ops):
                with open(__file__ + ".log", "a") as f:
                    f.write(" ".join([event] + sorted(ops)) + "\\n")

            def prepare(model_path, options):
                graph = onnx.load(model_path).graph
                ops = {node.op_type for node in graph.node}
                log("prepare", ops)
                for op in sorted(ops - KERNELS.keys()):
                    raise NotImplementedError(op + " is not supported by this plugin")
                \(hook)
                def run(inputs):
                    \(hook)
                    values = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
                    values.update(inputs)
                    for node in graph.node:
                        values[node.output[0]] = KERNELS[node.op_type](*[values[i] for i in node.input])
                    log("run", ops)
                    return [values[o.name] for o in graph.output]
                return run
            """
        let path = folder.appendingPathComponent("\(name).py").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The operator sets of the models that reached the adapter at `plugin` (`event` prepare) or that it computed
    /// (`event` run), one per line of its log.
    func logged(_ plugin: String, _ event: String) -> [Set<String>] {
        let log = (try? String(contentsOfFile: plugin + ".log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.first == event }.map { Set($0.dropFirst()) }
    }

    /// Checks that the adapter failed exactly on the tests whose model has a Sigmoid (with `verdict`, each confirmed
    /// by a second run of the test) and computed the others, which pass: no test failed before reaching it, as when a
    /// restarted worker spends a test's time limit starting up.
    func checkFailedOnSigmoidOnly(_ c: Campaign, plugin: String, verdict: String) {
        let reached = logged(plugin, "prepare")
        XCTAssertEqual(2 * (c.verdicts[verdict] ?? 0), reached.filter { $0.contains("Sigmoid") }.count, "\(c.verdicts)")
        XCTAssertEqual(c.verdicts["pass"] ?? 0, reached.filter { !$0.contains("Sigmoid") }.count, "\(c.verdicts)")
        XCTAssertEqual(logged(plugin, "run").count, c.verdicts["pass"] ?? 0, "the passes were computed")
    }

    /// Whether a process whose command line names `path` (a worker host of that adapter) still runs a few seconds
    /// after the campaign ended.
    func outlives(_ path: String) throws -> Bool {
        for _ in 0..<10 {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            probe.arguments = ["pgrep", "-f", path]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { return false }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return true
    }

    /// What a campaign left: its summary.json and the folder.
    struct Campaign {
        var folder: String
        var summary: [String: Any]

        var findings: [[String: Any]] { summary["findings"] as? [[String: Any]] ?? [] }
        var state: [String: Any] { summary["state"] as? [String: Any] ?? [:] }
        var tests: Int { state["tests"] as? Int ?? 0 }
        /// Tests per verdict.
        var verdicts: [String: Int] { state["verdicts"] as? [String: Int] ?? [:] }
        var findingVerdicts: [String] { findings.compactMap { $0["verdict"] as? String } }
    }

    /// Runs `graphsmith fuzz` with the adapter `name` as the only backend; the campaign must end with status 0.
    func campaign(_ name: String, plugin: String, _ flags: [String]) throws -> Campaign {
        let out = try temporaryDirectory(self).appendingPathComponent("c").path
        let r = try Graphsmith.run(["fuzz", "--plugin", plugin, "--backends", name, "--out", out] + generator + flags)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        return Campaign(folder: out, summary: try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    /// Skips outside CI, and fails in CI, when the interpreter graphsmith would start cannot import numpy and onnx
    /// (the same choice as the worker host's: $GRAPHSMITH_PYTHON, else the repository's .venv, else python3).
    func requireWorkerHost() throws {
        let env = ProcessInfo.processInfo.environment
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let python = env["GRAPHSMITH_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import numpy, onnx"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus != 0 else { return }
        let why = "\(python) cannot import numpy and onnx, which the worker host needs"
        try XCTSkipIf(env["CI"] == nil, why)
        throw MissingWorkerHost(description: "the worker host must run in CI: \(why)")
    }

    /// The failure of a test that cannot run where it must (in CI).
    struct MissingWorkerHost: Error, CustomStringConvertible { var description: String }

    /// Every text file of a campaign, for messages that must appear nowhere.
    func campaignText(_ c: Campaign) throws -> String {
        let files = FileManager.default.enumerator(atPath: c.folder)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".json") || $0.hasSuffix(".md") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".xml") }
            .compactMap { try? String(contentsOfFile: c.folder + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
    }

    func testAMiscomputedReluIsFoundWithinAMinuteAndReducedToIt() throws {
        try requireWorkerHost()
        let dir = try temporaryDirectory(self)
        let wrong = try plugin("absrelu", in: dir, relu: "np.abs(x)")
        let c = try campaign("absrelu", plugin: wrong, ["--time", "60s", "--stop-on-finding", "--jobs", "2"])
        let finding = try XCTUnwrap(c.findings.first, "no finding within 60 s: \(c.verdicts)")
        XCTAssertEqual(finding["verdict"] as? String, "mismatch", "\(finding)")
        if let triage = finding["triage"] as? String { XCTAssertEqual(triage, "wrong-result") }
        XCTAssertEqual(finding["backends"] as? [String], ["absrelu"], "\(finding)")
        XCTAssertEqual(finding["operators"] as? [String], ["Relu"], "the first diverging value is a Relu's")
        XCTAssertLessThan(try XCTUnwrap(finding["elapsed"] as? Double), 60)

        let id = try XCTUnwrap(finding["id"] as? String)
        let r = try Graphsmith.run(["reduce", "\(c.folder)/findings/\(id)", "--time", "2m", "--json", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual((summary["after"] as? [String: Any])?["operators"] as? Int, 1, r.stdout)
        let model = try String(contentsOfFile: "\(c.folder)/reduced/\(id)/model.txt", encoding: .utf8)
        let nodes = model.split(separator: "\n").filter { $0.hasPrefix("node ") }
        XCTAssertEqual(nodes.count, 1, model)
        XCTAssertTrue(nodes.first?.contains("= Relu(") == true, model)
    }

    func testACorrectPluginGivesNoFinding() throws {
        try requireWorkerHost()
        let good = try plugin("numpyref", in: try temporaryDirectory(self))
        let c = try campaign("numpyref", plugin: good, ["--time", "30s", "--jobs", "2"])
        XCTAssertEqual(c.findings.count, 0, "\(c.findings)")
        XCTAssertEqual(c.verdicts["pass"], c.tests, "\(c.verdicts)")
        let runs = logged(good, "run")
        XCTAssertGreaterThanOrEqual(runs.count, c.tests, "every test was computed, none declined")
        XCTAssertEqual(runs.reduce(Set()) { $0.union($1) }, ["Add", "Mul", "Relu", "Sigmoid"])
    }

    func testPrintingToStdoutIsNoProtocolError() throws {
        try requireWorkerHost()
        let noise = "(print('noise ' * 50), sys.stdout.flush(), print('more noise', file=sys.__stdout__), "
            + "sys.__stdout__.flush(), os.write(1, b'raw noise on fd 1\\n'))"
        let noisy = try plugin("noisy", in: try temporaryDirectory(self), hook: noise)
        let c = try campaign("noisy", plugin: noisy, ["--iterations", "12", "--jobs", "2"])
        XCTAssertEqual(c.tests, 12)
        XCTAssertEqual(c.findings.count, 0, "\(c.findings)")
        XCTAssertEqual(c.verdicts["pass"], 12, "\(c.verdicts)")
        XCTAssertGreaterThanOrEqual(logged(noisy, "run").count, 12, "every test was computed, none declined")
        let text = try campaignText(c)
        XCTAssertFalse(text.contains("unreadable answer"), text)
        XCTAssertFalse(text.contains("noise"), "the noise reached the campaign's files")
    }

    func testAnAbortIsACrashFindingAndTheCampaignGoesOn() throws {
        try requireWorkerHost()
        let aborting = try plugin("aborting", in: try temporaryDirectory(self), hook: Self.onSigmoid("os.abort()"))
        let c = try campaign("aborting", plugin: aborting, ["--iterations", "12", "--jobs", "2"])
        XCTAssertEqual(c.tests, 12, "every test ran despite the aborts")
        XCTAssertEqual(Set(c.findingVerdicts), ["crash"], "\(c.findings)")
        XCTAssertTrue(c.findings.allSatisfy { ($0["message"] as? String ?? "").contains("signal 6") }, "\(c.findings)")
        XCTAssertGreaterThan(c.verdicts["pass"] ?? 0, 0, "models without Sigmoid pass: \(c.verdicts)")
        XCTAssertGreaterThan(c.verdicts["crash"] ?? 0, 0, "\(c.verdicts)")
        checkFailedOnSigmoidOnly(c, plugin: aborting, verdict: "crash")
    }

    func testAHangThatDoesNotHappenAgainIsFlakyNotAFinding() throws {
        try requireWorkerHost()
        // Sleeps once, on the first model with a Sigmoid, as a backend starved by a busy machine would seem to hang.
        let once = "(open(__file__ + '.slept', 'w').close(), time.sleep(30)) if 'Sigmoid' in ops and not os.path.exists(__file__ + '.slept') else None"
        let sleepsOnce = try plugin("sleepsonce", in: try temporaryDirectory(self), hook: once)
        let c = try campaign("sleepsonce", plugin: sleepsOnce, ["--iterations", "8", "--jobs", "2", "--test-timeout", "3"])
        XCTAssertEqual(c.tests, 8)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sleepsOnce + ".slept"), "no model had a Sigmoid: \(c.verdicts)")
        XCTAssertEqual(c.verdicts["flaky"], 1, "\(c.verdicts)")
        XCTAssertNil(c.verdicts["hang"], "\(c.verdicts)")
        XCTAssertEqual(c.findings.count, 0, "\(c.findings)")
    }

    func testASleepIsAHangFindingAndTheCampaignGoesOn() throws {
        try requireWorkerHost()
        let sleeping = try plugin("sleeping", in: try temporaryDirectory(self), hook: Self.onSigmoid("time.sleep(30)"))
        let c = try campaign("sleeping", plugin: sleeping, ["--iterations", "8", "--jobs", "2", "--test-timeout", "3"])
        XCTAssertEqual(c.tests, 8, "every test ran despite the hangs")
        XCTAssertEqual(Set(c.findingVerdicts), ["hang"], "\(c.findings)")
        XCTAssertGreaterThan(c.verdicts["pass"] ?? 0, 0, "models without Sigmoid pass: \(c.verdicts)")
        XCTAssertGreaterThan(c.verdicts["hang"] ?? 0, 0, "\(c.verdicts)")
        checkFailedOnSigmoidOnly(c, plugin: sleeping, verdict: "hang")
        XCTAssertFalse(try outlives(sleeping), "a sleeping worker host outlived the test worker killed for its hang")
    }
}
