import Foundation
import TestSupport
import XCTest

/// `reduce --out DIR` never deletes what graphsmith did not write: a user's folder, the campaign itself or a file is
/// refused before the reduction runs; an earlier reduction is replaced.
final class ReduceOutputCLITests: XCTestCase {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "reduce-out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A campaign with one finding of an injected fault (a few seconds), and that finding's folder.
    func finding() throws -> (campaign: String, folder: String) {
        let campaign = try tempDir() + "/c"
        _ = try Graphsmith.run(["fuzz", "--iterations", "20", "--stop-on-finding", "--inject-fault", "mod-negative",
                                "--include", "Mod,Neg,Add,Relu,Abs", "--dtypes", "i32,i64", "--nodes", "4", "--jobs", "1",
                                "--backends", "vm-O0", "--out", campaign, "--quiet"])
        let id = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: campaign + "/findings").first)
        return (campaign, "\(campaign)/findings/\(id)")
    }

    func listing(_ dir: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: dir).sorted()
    }

    func testAFolderGraphsmithDidNotWriteIsRefusedAndKept() throws {
        let (campaign, folder) = try finding()
        let mine = try tempDir() + "/mine"
        try FileManager.default.createDirectory(atPath: mine + "/sub", withIntermediateDirectories: true)
        try "keep\n".write(toFile: mine + "/sub/notes.txt", atomically: true, encoding: .utf8)
        let file = mine + "/sub/notes.txt"
        let campaignBefore = try listing(campaign)
        for (out, line) in [
            (mine, "error: '\(mine)' is not empty and is not an earlier reduction (it has 'sub'); choose a new or empty folder for the reduced finding"),
            (campaign, "is not empty and is not an earlier reduction"),
            (folder, "is not empty and is not an earlier reduction"),
            (file, "error: '\(file)' is a file, not a folder; choose a new or empty folder for the reduced finding"),
        ] {
            let r = try Graphsmith.run(["reduce", folder, "--out", out, "--time", "20s"])
            XCTAssertEqual(r.status, 2, "\(out): \(r.stdout)\(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(line), r.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep\n")
        XCTAssertEqual(try listing(campaign), campaignBefore, "the campaign is untouched")
    }

    /// An empty folder takes a reduction, and a second reduction replaces the first; a user's `OUT.partial` beside it
    /// is not touched, and no staging folder is left behind.
    func testAnEarlierReductionIsReplaced() throws {
        let (_, folder) = try finding()
        let parent = try tempDir()
        let out = parent + "/r"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out + ".partial", withIntermediateDirectories: true)
        try "keep\n".write(toFile: out + ".partial/notes.txt", atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let r = try Graphsmith.run(["reduce", folder, "--out", out, "--time", "30s"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/reduction.json"))
        }
        XCTAssertEqual(try String(contentsOfFile: out + ".partial/notes.txt", encoding: .utf8), "keep\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent).sorted(), ["r", "r.partial"])
    }
}
