import Campaign
import Foundation
import XCTest
@testable import Reducer

/// `graphsmith reduce`'s session: where a reduced finding goes, and what is not a finding folder.
final class ReductionTests: XCTestCase {
    func testDefaultOutputIsTheCampaignsReducedFolder() throws {
        let root = NSTemporaryDirectory() + "reduction-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertEqual(Reduction.defaultOutput(root + "/c/findings/f-0123"), root + "/c/reduced/f-0123")
        var isDir: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/c/reduced", isDirectory: &isDir) && isDir.boolValue)
        XCTAssertEqual(Reduction.defaultOutput(root + "/corpus/case"), root + "/corpus/case-reduced")
    }

    func testAFolderWithoutFindingIsAUsageError() {
        XCTAssertThrowsError(try Reduction(folder: "/nonexistent/f", name: "f")) { error in
            XCTAssertEqual(error as? CampaignError, .usage("'f' is not a finding folder (no finding.json)"))
        }
    }
}
