import Foundation
import XCTest
@testable import Campaign

/// The campaign lock: one holder at a time (flock is per open file, so a second open in this process conflicts as a
/// second process would), released when the holder goes away; and the folder checks of a new campaign.
final class CampaignLockTests: XCTestCase {
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "campaign-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testOneHolderAtATime() throws {
        let dir = try folder()
        var first: CampaignLock? = try CampaignLock.acquire(dir)
        XCTAssertNotNil(first)
        XCTAssertEqual(try String(contentsOfFile: dir + "/.lock", encoding: .utf8), "\(getpid())\n")
        XCTAssertThrowsError(try CampaignLock.acquire(dir)) { error in
            XCTAssertEqual(error as? CampaignError, .usage("'\(dir)' is in use by another graphsmith campaign (process \(getpid())); "
                                                           + "wait for it to end, or choose another --out"))
        }
        first = nil
        XCTAssertNoThrow(try CampaignLock.acquire(dir))
    }

    func testANewCampaignNeedsANewOrEmptyFolder() throws {
        let dir = try folder()
        XCTAssertNoThrow(try CampaignFolderCheck.forCreate(dir + "/new"))
        XCTAssertNoThrow(try CampaignFolderCheck.forCreate(dir))
        for name in ["findings", ".staging", ".lock", "state.json"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true)
        }
        XCTAssertNoThrow(try CampaignFolderCheck.forCreate(dir), "what a campaign that died while being created leaves")
        try "x".write(toFile: dir + "/summary.md", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CampaignFolderCheck.forCreate(dir))
    }

    func testStateProblems() {
        var state = CampaignState()
        XCTAssertNil(state.problem)
        state.nextTest = -1
        XCTAssertEqual(state.problem, "nextTest -1 is not a test number (0 to \(CampaignState.maximumTests))")
        state.nextTest = 0
        state.completedAhead = [Int.max]
        XCTAssertNotNil(state.problem)
        state.completedAhead = []
        state.verdicts = ["pass": -2]
        XCTAssertEqual(state.problem, "verdicts[pass] is -2, not a test count")
    }
}
