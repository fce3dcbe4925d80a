import Foundation
import TestSupport
import XCTest

/// Campaign folders that are damaged, not campaigns, or in use by another campaign: each is refused before any test
/// runs, with one line naming the file or folder and exit 2, and nothing in it is changed.
final class HostileCampaignFolderTests: XCTestCase {
    let small = ["--nodes", "3", "--max-elements", "256", "--max-rank", "2", "--jobs", "1", "--quiet", "--backends", "vm-O0"]

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "hostile-campaign-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A finished campaign of a few tests.
    func campaign() throws -> String {
        let out = try tempDir() + "/c"
        let r = try Graphsmith.run(["fuzz", "--iterations", "3", "--out", out] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    func stateJSON(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/state.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func writeJSON(_ object: [String: Any], to path: String) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// `fuzz --resume` on `dir` fails with one line that contains `names`, and runs no test (stats.jsonl unchanged).
    func assertResumeRefused(_ dir: String, naming names: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let stats = try? Data(contentsOf: URL(fileURLWithPath: dir + "/stats.jsonl"))
        let r = try Graphsmith.run(["fuzz", "--resume", "--out", dir, "--iterations", "6", "--quiet"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr, file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr, file: file, line: line)
        for name in names { XCTAssertTrue(r.stderr.contains(name), "\(name) in: \(r.stderr)", file: file, line: line) }
        XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: dir + "/stats.jsonl")), stats, "no test ran", file: file, line: line)
    }

    func testResumeWithoutStateJSONIsRefused() throws {
        let dir = try campaign()
        try FileManager.default.removeItem(atPath: dir + "/state.json")
        try assertResumeRefused(dir, naming: "\(dir)/state.json", "missing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/state.json"))
    }

    func testResumeWithFindingsAsAFileIsRefused() throws {
        let dir = try campaign()
        try FileManager.default.removeItem(atPath: dir + "/findings")
        try "not a folder\n".write(toFile: dir + "/findings", atomically: true, encoding: .utf8)
        try assertResumeRefused(dir, naming: "\(dir)/findings", "not a folder")
    }

    func testResumeWithANegativeNextTestIsRefused() throws {
        let dir = try campaign()
        var state = try stateJSON(dir)
        state["nextTest"] = -5
        try writeJSON(state, to: dir + "/state.json")
        try assertResumeRefused(dir, naming: "\(dir)/state.json", "nextTest -5")
    }

    func testResumeWithAShardThatDoesNotExistIsRefused() throws {
        let dir = try campaign()
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/config.json"))
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        config["shardCount"] = 0
        try writeJSON(config, to: dir + "/config.json")
        try assertResumeRefused(dir, naming: "\(dir)/config.json", "shard 0/0")
    }

    func testANewCampaignIsNotWrittenIntoSomeoneElsesFolder() throws {
        let dir = try tempDir()
        try "mine\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["fuzz", "--iterations", "2", "--out", dir] + small)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.errorLines, ["error: '\(dir)' holds no campaign and is not empty (it has 'notes.txt'); choose a new or empty folder for --out"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["notes.txt"])

        let file = dir + "/notes.txt"
        let onFile = try Graphsmith.run(["fuzz", "--iterations", "2", "--out", file] + small)
        XCTAssertEqual(onFile.status, 2, onFile.stderr)
        XCTAssertEqual(onFile.errorLines, ["error: --out '\(file)' is a file, not a folder"])
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "mine\n")
    }

    func testAReportIsNotWrittenOverACampaign() throws {
        let dir = try campaign()
        let summary = try Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))
        let r = try Graphsmith.run(["report", dir, "--out", dir])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertEqual(r.errorLines, ["error: --out \(dir): a campaign or finding folder (it has config.json), whose summary would be "
                                      + "replaced; choose another folder for the report"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json")), summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/report.md"))
    }

    /// While one campaign runs, a second on its folder is refused; once the first is killed (-9), the kernel has
    /// released its lock and the campaign resumes.
    func testASecondCampaignOnARunningOneIsRefused() throws {
        let dir = try tempDir() + "/c"
        let first = Process()
        first.executableURL = try Graphsmith.executable()
        first.arguments = ["fuzz", "--time", "2m", "--out", dir, "--specs", repositorySpecs] + small
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: dir + "/config.json") && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(first.isRunning, "the first campaign runs")

        let second = try Graphsmith.run(["fuzz", "--resume", "--out", dir, "--iterations", "1", "--quiet"])
        XCTAssertEqual(second.status, 2, second.stdout + second.stderr)
        XCTAssertEqual(second.errorLines.count, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("error: '\(dir)' is in use by another graphsmith campaign (process \(first.processIdentifier))"),
                      second.stderr)

        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let resumed = try Graphsmith.run(["fuzz", "--resume", "--out", dir, "--iterations", "1", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }
}
