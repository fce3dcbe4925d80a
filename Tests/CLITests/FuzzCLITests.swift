import Foundation
import TestSupport
import XCTest

/// End-to-end campaigns through the CLI: small models so that each runs in seconds even in a debug build.
final class FuzzCLITests: XCTestCase {
    let small = ["--nodes", "4", "--max-elements", "512", "--max-rank", "3", "--jobs", "2", "--quiet", "--backends", "vm-O0,vm-O3"]

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "fuzz-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func summary(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func findings(_ dir: String) throws -> [[String: Any]] {
        try XCTUnwrap(try summary(dir)["findings"] as? [[String: Any]])
    }

    func tests(_ dir: String) throws -> Int {
        try XCTUnwrap((try summary(dir)["state"] as? [String: Any])?["tests"] as? Int)
    }

    /// Tests counted in state.json (saved every few seconds and on every finding hit), 0 before it exists.
    func stateTests(_ dir: String) -> Int {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: dir + "/state.json")),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return 0 }
        return state["tests"] as? Int ?? 0
    }

    func testCleanCampaignFindsNothing() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "16", "--fail-on-findings", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try tests(out), 16)
        XCTAssertEqual(try findings(out).count, 0)
        for file in ["config.json", "state.json", "coverage.json", "stats.jsonl", "summary.md", "junit.xml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(file)"), file)
        }
    }

    func testInjectedFaultIsFoundAsFewFindingsThatReplay() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "30", "--inject-fault", "broadcast-stride", "--fail-on-findings",
                                    "--include", "Add,Mul,Sub,Relu,Neg", "--dtypes", "f32", "--out", out] + small)
        XCTAssertEqual(r.status, 1, "findings with --fail-on-findings exit 1: \(r.stderr)")
        let found = try findings(out)
        XCTAssertFalse(found.isEmpty)
        let hits = found.compactMap { $0["hits"] as? Int }.reduce(0, +)
        XCTAssertLessThan(found.count, hits, "hits of one bug are de-duplicated")
        let id = try XCTUnwrap(found.first?["id"] as? String)
        let folder = "\(out)/findings/\(id)"
        for file in ["finding.json", "config.json", "model.txt", "model.onnx", "report.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), file)
        }
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder + "/inputs").isEmpty)
        let replay = try Graphsmith.run(["replay", folder, "--times", "3"])
        XCTAssertEqual(replay.status, 0, replay.stdout + replay.stderr)
        XCTAssertTrue(replay.stdout.contains("3 replays: 3 as expected, 0 not"), replay.stdout)
    }

    /// With a fault only vm-O3 has, odd tests of later batches run vm-O3 alone: it runs more tests than vm-O0, and
    /// every finding is still filed with both backends' verdicts (a focused failure is rerun on every backend).
    func testOddTestsFocusOnTheFailingBackend() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "240", "--inject-fault", "vector-tail-dropped", "--seed", "3",
                                    "--include", "Add,Mul,Sub,Relu,Neg,Exp", "--dtypes", "f32", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/state.json"))
        let state = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let perBatch = try XCTUnwrap((state["schedule"] as? [String: Any])?["tests"] as? [String: [String: Int]])
        func total(_ arm: String) -> Int { perBatch.values.reduce(0) { $0 + ($1[arm] ?? 0) } }
        XCTAssertGreaterThan(total("backend:vm-O3"), total("backend:vm-O0") + 20, "\(perBatch)")
        let found = try findings(out)
        XCTAssertFalse(found.isEmpty)
        let report = try Graphsmith.run(["report", out, "--out", out + "-report"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let md = try String(contentsOfFile: out + "-report/report.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| backend:vm-O3 | "), md)
    }

    func testTrappingWorkerIsACrashFindingAndTheCampaignGoesOn() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "24", "--inject-fault", "test-trap", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try tests(out), 24, "every test ran despite the crashes")
        let found = try findings(out)
        XCTAssertEqual(found.map { $0["verdict"] as? String }, ["crash"])
        XCTAssertTrue((found[0]["message"] as? String ?? "").contains("signal"), "\(found[0])")
    }

    func testAllocatingWorkerIsACrashFindingAndTheCampaignGoesOn() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "16", "--inject-fault", "test-alloc", "--memory-limit", "1024", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try tests(out), 16, "every test ran despite the worker running out of memory")
        let found = try findings(out)
        XCTAssertEqual(found.map { $0["verdict"] as? String }, ["crash"])
        XCTAssertEqual(found.first?["hits"] as? Int, try XCTUnwrap((try summary(out)["state"] as? [String: Any])?["verdicts"] as? [String: Int])["crash"])
    }

    func testDefaultBackendsAddOnnxruntimeWhenItIsInstalled() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "1", "--nodes", "3", "--max-elements", "64", "--jobs", "1", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))) as? [String: Any])
        let backends = try XCTUnwrap(config["backends"] as? [String])
        // The interpreter graphsmith starts: $GRAPHSMITH_PYTHON, else the repository's .venv, else python3.
        let env = ProcessInfo.processInfo.environment
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let python = env["GRAPHSMITH_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import onnxruntime, onnx"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        let installed = probe.terminationStatus == 0
        XCTAssertEqual(Array(backends.prefix(5)), ["vm-O0", "vm-O1", "vm-O2", "vm-O3", "native-O3"])
        XCTAssertEqual(backends.contains("onnxruntime") && backends.contains("onnxruntime-noopt"), installed, "\(backends)")
        // Other outside compilers join only when installed here; an opt-in configuration never does.
        XCTAssertFalse(backends.contains("iree-f64"), "\(backends)")
        XCTAssertEqual(Set(backends).count, backends.count, "\(backends)")
    }

    /// A new campaign stores its generator options as a settings value, the kernel table's path made absolute; a
    /// campaign whose config.json holds the older argument list resumes with the same settings.
    func testGeneratorSettingsAreStoredAndOldConfigsResume() throws {
        let dir = try tempDir()
        try #"{"Add": ["f32,f32->f32"], "Relu": ["f32->f32"]}"#.write(toFile: dir + "/k.json", atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["fuzz", "--iterations", "4", "--include", "Add,Relu", "--dtypes", "f32", "--kernels", "k.json",
                                    "--out", "c", "--specs", repositorySpecs] + small, in: URL(fileURLWithPath: dir))
        XCTAssertEqual(r.status, 0, r.stderr)
        let configPath = URL(fileURLWithPath: dir + "/c/config.json")
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: configPath)) as? [String: Any])
        let generator = try XCTUnwrap(config["generator"] as? [String: Any])
        XCTAssertEqual(generator["include"] as? [String], ["Add", "Relu"])
        XCTAssertEqual(generator["dtypes"] as? [String], ["f32"])
        XCTAssertEqual(generator["kernels"] as? String, URL(fileURLWithPath: dir + "/k.json").standardizedFileURL.path)
        XCTAssertEqual(generator["nodes"] as? Int, 4)
        XCTAssertEqual(generator["maxElements"] as? Int, 512)
        XCTAssertEqual(generator["maxRank"] as? Int, 3)
        XCTAssertEqual(generator["valueCheck"] as? Bool, true)
        config["generator"] = nil
        config["generatorArguments"] = ["--nodes", "4", "--max-elements", "512", "--max-rank", "3", "--include", "Add,Relu",
                                        "--dtypes", "f32", "--kernels", generator["kernels"] as? String ?? ""]
        try JSONSerialization.data(withJSONObject: config).write(to: configPath)
        let resumed = try Graphsmith.run(["fuzz", "--resume", "--iterations", "8", "--out", dir + "/c", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try tests(dir + "/c"), 8)
        let operators = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/c/coverage.json"))) as? [String: Any])
        XCTAssertEqual(Set((operators["operators"] as? [String: Int] ?? [:]).keys), ["Add", "Relu"])
    }

    func testLoopingWorkerIsAHangFinding() throws {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "16", "--inject-fault", "test-hang", "--test-timeout", "3", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try tests(out), 16)
        XCTAssertEqual(try findings(out).map { $0["verdict"] as? String }, ["hang"])
    }

    /// kill -9 in the middle, then --resume: findings written before are intact and the counts continue.
    func testResumeAfterKill() throws {
        let out = try tempDir() + "/c"
        let process = Process()
        process.executableURL = try Graphsmith.executable()
        process.arguments = ["fuzz", "--iterations", "100000", "--inject-fault", "broadcast-stride", "--out", out] + small
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, stateTests(out) < 8 { usleep(200_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/state.json"))) as? [String: Any])
        let testsBefore = try XCTUnwrap(before["tests"] as? Int)
        XCTAssertGreaterThan(testsBefore, 0)
        let folders = try FileManager.default.contentsOfDirectory(atPath: out + "/findings")
        var hitsBefore: [String: Int] = [:]
        for f in folders {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/findings/\(f)/finding.json"))
            hitsBefore[f] = try XCTUnwrap((JSONSerialization.jsonObject(with: data) as? [String: Any])?["hits"] as? Int)
        }
        let r = try Graphsmith.run(["fuzz", "--resume", "--iterations", "\(testsBefore + 10)", "--out", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertGreaterThanOrEqual(try tests(out), testsBefore + 10)
        for found in try findings(out) {
            let id = try XCTUnwrap(found["id"] as? String)
            XCTAssertGreaterThanOrEqual(found["hits"] as? Int ?? 0, hitsBefore[id] ?? 0, "hit counts continue")
        }
        XCTAssertTrue(Set(hitsBefore.keys).isSubset(of: Set(try findings(out).compactMap { $0["id"] as? String })))
    }

    func testBadRequestsAreOneLineUserErrors() throws {
        let dir = try tempDir()
        try "def prepare(:\n".write(toFile: dir + "/broken.py", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["fuzz", "--plugin", dir + "/broken.py", "--backends", "broken", "--out", dir + "/p"], "error: --backends broken: "),
            (["fuzz", "--backends", "vm-O9", "--out", dir + "/a"], "error: unknown backend 'vm-O9'"),
            (["fuzz", "--shard", "3/2", "--out", dir + "/b"], "error: --shard must be I/N"),
            (["fuzz", "--time", "soon", "--out", dir + "/c"], "error: --time: cannot read 'soon'"),
            (["fuzz", "--inject-fault", "nope", "--out", dir + "/d"], "error: unknown fault 'nope'"),
            (["fuzz", "--resume", "--out", dir + "/none"], "error: '\(dir)/none' holds no campaign"),
            (["replay", dir + "/none"], "error: '\(dir)/none': no such finding folder"),
        ]
        for (args, prefix) in cases {
            let r = try Graphsmith.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix(prefix), "\(args): \(r.stderr)")
        }
    }

    /// A campaign with an injected fault in a new folder and the folder of its first finding.
    func faultyCampaign() throws -> (out: String, finding: String) {
        let out = try tempDir() + "/c"
        _ = try Graphsmith.run(["fuzz", "--iterations", "12", "--inject-fault", "broadcast-stride", "--include", "Add,Mul,Relu",
                                "--dtypes", "f32", "--out", out] + small)
        let id = try XCTUnwrap(try findings(out).first?["id"] as? String)
        return (out, "\(out)/findings/\(id)")
    }

    func testCorruptFindingFileIsNamed() throws {
        let (out, folder) = try faultyCampaign()
        try "{\"id\": 3".write(toFile: folder + "/finding.json", atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["replay", folder])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: \(folder)/finding.json: not a valid FindingRecord file (corrupt JSON)\n")
        try FileManager.default.removeItem(atPath: folder + "/finding.json")
        try FileManager.default.removeItem(atPath: folder + "/config.json")
        let missing = try Graphsmith.run(["replay", out])
        XCTAssertEqual(missing.status, 2)
    }

    func testAFindingWhoseBackendCannotRunHereIsRefusedNotChanged() throws {
        let (out, folder) = try faultyCampaign()
        // The campaign ran a compiler this machine does not have (a plugin's backend, its file gone).
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) as? [String: Any])
        config["backends"] = ["vm-O1", "mycompiler"]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/config.json"))
        for args in [["replay", folder], ["reduce", folder, "--out", out + "/r"]] {
            let r = try Graphsmith.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout)\(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("\(folder): its campaign's backend 'mycompiler' is unknown here"), r.stderr)
            XCTAssertFalse(r.stdout.contains("changed"), r.stdout)
        }
    }
}

/// The regression corpus: every reduced finding in `Corpus/` replays as expected on the current compiler (a case
/// caught with an injected fault must still be detected with it; any other case must pass).
final class CorpusReplayTests: XCTestCase {
    func testCorpusReplaysAsExpected() throws {
        let corpus = repositoryRoot.appendingPathComponent("Corpus").path
        let cases = try FileManager.default.contentsOfDirectory(atPath: corpus)
            .filter { FileManager.default.fileExists(atPath: "\(corpus)/\($0)/finding.json") }
        XCTAssertFalse(cases.isEmpty, "Corpus/ holds no cases")
        let r = try Graphsmith.run(["replay", corpus, "--expect", "auto"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("\(cases.count) replays: \(cases.count) as expected, 0 not"), r.stdout)
    }

    func testEveryCaseSaysWhatItCaught() throws {
        let corpus = repositoryRoot.appendingPathComponent("Corpus").path
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus) where !name.hasSuffix(".md") {
            let readme = try String(contentsOfFile: "\(corpus)/\(name)/README.md", encoding: .utf8)
            XCTAssertFalse(readme.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, name)
        }
    }
}

final class ReduceCLITests: XCTestCase {
    /// A finding of an injected fault reduces to at most 3 operators, names the operator, and the reduced finding
    /// still replays.
    func testFaultFindingReducesToFewOperators() throws {
        let dir = NSTemporaryDirectory() + "reduce-cli-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let campaign = dir + "/c"
        _ = try Graphsmith.run(["fuzz", "--iterations", "20", "--stop-on-finding", "--inject-fault", "mod-negative",
                                "--include", "Mod,Neg,Add,Relu,Abs", "--dtypes", "i32,i64", "--nodes", "6", "--jobs", "1",
                                "--backends", "vm-O0", "--out", campaign, "--quiet"])
        let id = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: campaign + "/findings").first)
        let r = try Graphsmith.run(["reduce", "\(campaign)/findings/\(id)", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let after = try XCTUnwrap((summary["after"] as? [String: Any])?["operators"] as? Int)
        XCTAssertLessThanOrEqual(after, 3)
        let elements = try XCTUnwrap((summary["after"] as? [String: Any])?["elements"] as? Int)
        let elementsBefore = try XCTUnwrap((summary["before"] as? [String: Any])?["elements"] as? Int)
        XCTAssertLessThan(elements, elementsBefore, "cutting and shape shrinking make the test smaller")
        let reduced = "\(campaign)/reduced/\(id)"
        for file in ["finding.json", "config.json", "model.txt", "model.onnx", "reduction.md", "reduction.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(reduced)/\(file)"), file)
        }
        let model = try String(contentsOfFile: reduced + "/model.txt", encoding: .utf8)
        XCTAssertTrue(model.contains("= Mod("), model)
        let replay = try Graphsmith.run(["replay", reduced])
        XCTAssertEqual(replay.status, 0, replay.stdout)
    }

    func testNotAFindingFolderIsAUserError() throws {
        let r = try Graphsmith.run(["reduce", "/nonexistent/finding"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: '/nonexistent/finding' is not a finding folder (no finding.json)\n")
    }
}
