import Foundation
import TestSupport
import XCTest

/// `graphsmith report`: exit codes, the files it writes, and one-line errors for bad campaign files.
final class ReportCLITests: XCTestCase {
    /// A campaign directory written as `graphsmith fuzz` would, with `findings` finding folders.
    private func campaign(_ dir: URL, findings: Int) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("findings"), withIntermediateDirectories: true)
        func write(_ text: String, _ name: String) throws { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try write(#"{"version": 1, "seed": 3, "backends": ["vm-O3"], "nodes": 10, "shardIndex": 0, "shardCount": 1, "faults": [], "testTimeout": 20, "memoryLimitMiB": 4096, "generatorArguments": [], "disabledPasses": []}"#, "config.json")
        try write(#"{"tests": 4, "nextTest": 4, "completedAhead": [], "verdicts": {"pass": 3, "mismatch": 1}, "elapsed": 12.5}"#, "state.json")
        try write(#"{"models": 4, "operators": {"Relu": 6, "Add": 2}, "pairs": {"Relu->Add": 1}, "attributeBins": {}}"#, "coverage.json")
        try write(#"{"elapsed": 5, "tests": 2, "findings": 0, "hits": 0, "rate": 0.4, "operators": 2, "operatorsTotal": 2, "pairs": 1, "pairsTotal": 4, "bins": 0, "binsTotal": 0}"# + "\n{\"elapsed\": 9", "stats.jsonl")
        for k in 0..<findings {
            let id = "f-00000000000\(k)"
            try fm.createDirectory(at: dir.appendingPathComponent("findings/\(id)"), withIntermediateDirectories: true)
            try write(#"{"id": "\#(id)", "fingerprint": "mismatch|execute|c\#(k)|vm-O3|", "verdict": "mismatch", "stage": "execute", "backends": ["reference", "vm-O3"], "operators": ["Relu"], "message": "diff", "test": 1, "testSeed": 8, "elapsed": 3, "hits": 1, "repro": "graphsmith fuzz --seed 3"}"#,
                      "findings/\(id)/finding.json")
        }
    }

    func testReportWritesFilesAndFailsOnFindingsWhenAsked() throws {
        let root = try temporaryDirectory(self)
        let a = root.appendingPathComponent("campaign-0"), b = root.appendingPathComponent("campaign-1")
        try campaign(a, findings: 1)
        try campaign(b, findings: 0)
        let out = root.appendingPathComponent("report")
        let args = ["report", a.path, b.path, "--out", out.path, "--include", "Relu,Add", "--specs", repositorySpecs]
        let ok = try Graphsmith.run(args)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("2 campaign directories, 8 tests, 1 unique finding (1 hit)"), ok.stdout)
        for name in ["report.md", "report.html", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| operators | 2 | 2 | 100.0 |"), md)
        XCTAssertEqual(try Graphsmith.run(args + ["--fail-on-findings"]).status, 1)
        XCTAssertEqual(try Graphsmith.run(["report", b.path, "--out", out.path, "--include", "Relu,Add", "--fail-on-findings", "--specs", repositorySpecs]).status, 0)
    }

    /// A campaign on the in-repo compiler records what the compiler did, and the report shows it against every
    /// rule, path and pass; the never-fired column lists what is left.
    func testACompilerCampaignReportsCompilerFeedbackAgainstWhatExists() throws {
        let root = try temporaryDirectory(self)
        let c = root.appendingPathComponent("c").path
        let fuzz = try Graphsmith.run(["fuzz", "--iterations", "5", "--backends", "vm-O0,vm-O3", "--nodes", "6", "--seed", "4",
                                       "--out", c, "--quiet", "--specs", repositorySpecs])
        XCTAssertEqual(fuzz.status, 0, fuzz.stderr)
        let coverage = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: c + "/coverage.json"))) as? [String: Any])
        let compiler = try XCTUnwrap(coverage["compiler"] as? [String: Int])
        XCTAssertTrue(compiler.keys.contains { $0.hasPrefix("path:") }, "\(compiler)")
        XCTAssertTrue(compiler.keys.contains { $0.hasPrefix("loop:") }, "\(compiler)")
        XCTAssertTrue(compiler.values.allSatisfy { $0 >= 1 && $0 <= 5 }, "counts are tests, at most one per test: \(compiler)")
        let out = root.appendingPathComponent("r").path
        let report = try Graphsmith.run(["report", c, "--out", out, "--specs", repositorySpecs])
        XCTAssertEqual(report.status, 0, report.stderr)
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        XCTAssertTrue(md.contains("| lowering paths | "), md)
        XCTAssertTrue(md.contains("| rewrite rules | "), md)
        XCTAssertTrue(md.contains("| loop passes | "), md)
    }

    func testCorruptCampaignFileIsAOneLineError() throws {
        let root = try temporaryDirectory(self)
        let dir = root.appendingPathComponent("c")
        try campaign(dir, findings: 1)
        try "{\"tests\": ".write(to: dir.appendingPathComponent("state.json"), atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["report", dir.path, "--out", root.appendingPathComponent("r").path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.errorLines, ["error: \(dir.path)/state.json: not a valid CampaignState file (corrupt JSON)"])
        let twice = try Graphsmith.run(["report", dir.path, dir.path + "/", "--specs", repositorySpecs])
        XCTAssertEqual(twice.status, 2)
        XCTAssertEqual(twice.errorLines.count, 1, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("given twice"), twice.stderr)
        let missing = try Graphsmith.run(["report", root.appendingPathComponent("none").path, "--specs", repositorySpecs])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.errorLines.count, 1, missing.stderr)
    }
}
