import Campaign
import Foundation
import XCTest
@testable import Reducer

/// What `reduce --out` accepts: a new or empty folder or an earlier reduction, never someone else's folder.
final class ReductionOutputTests: XCTestCase {
    let fm = FileManager.default

    func folder(_ names: [String] = []) throws -> String {
        let dir = NSTemporaryDirectory() + "reduction-output-\(UUID().uuidString)"
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        for name in names { try "\(name)\n".write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    func testWhatIsAccepted() throws {
        XCTAssertNoThrow(try ReductionOutput.check(try folder() + "/new"))
        XCTAssertNoThrow(try ReductionOutput.check(try folder()))
        XCTAssertNoThrow(try ReductionOutput.check(try folder(["finding.json", "reduction.json", "model.txt", "reduction.md"])))
    }

    func testWhatIsRefused() throws {
        let mine = try folder(["notes.txt", "finding.json", "reduction.json"])
        XCTAssertThrowsError(try ReductionOutput.check(mine)) { error in
            XCTAssertEqual(error as? CampaignError, .usage("'\(mine)' is not empty and is not an earlier reduction (it has "
                                                           + "'notes.txt'); choose a new or empty folder for the reduced finding"))
        }
        let finding = try folder(["finding.json", "model.txt"])
        XCTAssertThrowsError(try ReductionOutput.check(finding), "a finding, not a reduction")
        let file = mine + "/notes.txt"
        XCTAssertThrowsError(try ReductionOutput.check(file)) { error in
            XCTAssertEqual(error as? CampaignError, .usage("'\(file)' is a file, not a folder; choose a new or empty folder for the reduced finding"))
        }
        let link = try folder() + "/link"
        XCTAssertEqual(symlink(try folder(), link), 0)
        XCTAssertThrowsError(try ReductionOutput.check(link), "a link to an empty folder")
    }

    func testPublishReplacesAnEarlierReductionAndLeavesNothingElse() throws {
        let parent = try folder()
        let out = parent + "/r"
        for round in 0..<2 {
            let staged = try ReductionOutput.stagingFolder(for: out)
            for name in ["finding.json", "reduction.json"] {
                try "\(round)\n".write(toFile: staged + "/" + name, atomically: true, encoding: .utf8)
            }
            try ReductionOutput.publish(staged, to: out)
        }
        XCTAssertEqual(try String(contentsOfFile: out + "/reduction.json", encoding: .utf8), "1\n")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: parent), ["r"])
    }

    func testPublishRefusesAFolderThatAppearedMeanwhile() throws {
        let out = try folder(["notes.txt"])
        let staged = try ReductionOutput.stagingFolder(for: out)
        XCTAssertThrowsError(try ReductionOutput.publish(staged, to: out))
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: out), ["notes.txt"])
    }
}
