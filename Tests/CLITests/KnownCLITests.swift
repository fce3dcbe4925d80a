import Foundation
import TestSupport
import XCTest

/// `graphsmith known` and `--known` end to end: a nightly whose known file holds every finding passes, a new
/// problem still fails it.
final class KnownCLITests: XCTestCase {
    let small = ["--nodes", "4", "--max-elements", "512", "--max-rank", "3", "--jobs", "2", "--quiet", "--backends", "vm-O0,vm-O3",
                 "--include", "Add,Mul,Sub,Relu,Neg", "--dtypes", "f32", "--iterations", "30", "--specs", repositorySpecs]

    private func findingIDs(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("findings").path).filter { $0.hasPrefix("f-") }.sorted()
    }

    func testKnownFindingsDoNotFailTheNightlyAndANewOneDoes() throws {
        let root = try temporaryDirectory(self)
        let first = root.appendingPathComponent("first"), known = root.appendingPathComponent("known.json").path
        let r1 = try Graphsmith.run(["fuzz", "--inject-fault", "broadcast-stride", "--fail-on-findings", "--out", first.path] + small)
        XCTAssertEqual(r1.status, 1, r1.stderr)
        let ids = try findingIDs(first)
        XCTAssertFalse(ids.isEmpty)

        let folders = ids.map { first.appendingPathComponent("findings/\($0)").path }
        let add = try Graphsmith.run(["known", "add"] + folders + ["--note", "https://example.com/issues/1", "--file", known])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertEqual(add.stdout.split(separator: "\n").filter { $0.hasPrefix("added f-") }.count, ids.count, add.stdout)
        let again = try Graphsmith.run(["known", "add", folders[0], "--note", "https://example.com/issues/2", "--file", known])
        XCTAssertTrue(again.stdout.contains("\(ids[0]) was known already: note updated (was: https://example.com/issues/1)"), again.stdout)
        let list = try Graphsmith.run(["known", "list", "--file", known])
        XCTAssertTrue(list.stdout.contains("\(ids.count) known finding"), list.stdout)

        // The same campaign with the known file: every finding is known.
        let quiet = root.appendingPathComponent("quiet")
        let r2 = try Graphsmith.run(["fuzz", "--inject-fault", "broadcast-stride", "--known", known, "--fail-on-findings", "--out", quiet.path] + small)
        XCTAssertEqual(r2.status, 0, r2.stdout + r2.stderr)
        XCTAssertTrue(r2.stdout.contains("0 new findings, \(ids.count) known"), r2.stdout)
        let junit = try String(contentsOf: quiet.appendingPathComponent("junit.xml"), encoding: .utf8)
        XCTAssertTrue(junit.contains("failures=\"0\""), junit)

        // A second, different problem (workers that trap) is new.
        let loud = root.appendingPathComponent("loud")
        let r3 = try Graphsmith.run(["fuzz", "--inject-fault", "broadcast-stride", "--inject-fault", "test-trap", "--known", known,
                                     "--fail-on-findings", "--out", loud.path] + small)
        XCTAssertEqual(r3.status, 1, r3.stdout + r3.stderr)
        XCTAssertTrue(r3.stdout.range(of: #"[1-9][0-9]* new findings?, [0-9]+ known"#, options: .regularExpression) != nil, r3.stdout)

        // report takes the known file from the campaigns' config.json; --fail-on-findings fails on new ones only.
        let out = root.appendingPathComponent("report").path
        let rep1 = try Graphsmith.run(["report", quiet.path, "--out", out, "--fail-on-findings", "--specs", repositorySpecs])
        XCTAssertEqual(rep1.status, 0, rep1.stdout + rep1.stderr)
        XCTAssertTrue(try String(contentsOfFile: out + "/report.md", encoding: .utf8).contains("- known: \(ids[0]) (https://example.com/issues/2)"))
        let rep2 = try Graphsmith.run(["report", quiet.path, loud.path, "--out", out, "--fail-on-findings", "--specs", repositorySpecs])
        XCTAssertEqual(rep2.status, 1, rep2.stdout + rep2.stderr)
        // The first campaign ran without a known file; --known gives it one.
        XCTAssertEqual(try Graphsmith.run(["report", first.path, "--out", out, "--fail-on-findings", "--specs", repositorySpecs]).status, 1)
        XCTAssertEqual(try Graphsmith.run(["report", first.path, "--out", out, "--fail-on-findings", "--known", known, "--specs", repositorySpecs]).status, 0)
    }

    func testBadKnownFileIsAOneLineErrorAndNoCampaignIsStarted() throws {
        let root = try temporaryDirectory(self)
        let bad = root.appendingPathComponent("bad.json").path
        try "{\"version\": 1, \"known\": [".write(toFile: bad, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("c").path
        let r = try Graphsmith.run(["fuzz", "--known", bad, "--out", out] + small)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.errorLines, ["error: \(bad): not a valid known-findings file (corrupt JSON)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let missing = try Graphsmith.run(["known", "list", "--file", root.appendingPathComponent("none.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.errorLines.count, 1, missing.stderr)
        let notAFinding = try Graphsmith.run(["known", "add", root.path, "--note", "x", "--file", bad])
        XCTAssertEqual(notAFinding.errorLines, ["error: \(root.path): not a finding folder (no finding.json)"])
    }
}
