import Backends
import Foundation
import Oracle
import XCTest
@testable import Campaign

final class CampaignFormatTests: XCTestCase {
    private func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "campaign-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func testAtomicJSONRoundTrip() throws {
        let dir = try tempDir()
        var state = CampaignState()
        state.tests = 12
        state.nextTest = 10
        state.completedAhead = [11, 13]
        state.verdicts = ["pass": 11, "mismatch": 1]
        try AtomicFile.writeJSON(state, to: dir + "/state.json")
        XCTAssertEqual(try JSONCoding.decode(CampaignState.self, from: dir + "/state.json"), state)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testCorruptFileNamesThePath() throws {
        let dir = try tempDir()
        try AtomicFile.write("{\"tests\": 3", to: dir + "/state.json")
        XCTAssertThrowsError(try JSONCoding.decode(CampaignState.self, from: dir + "/state.json")) { error in
            XCTAssertEqual("\(error)", "\(dir)/state.json: not a valid CampaignState file (corrupt JSON)")
        }
        XCTAssertThrowsError(try JSONCoding.decode(CampaignState.self, from: dir + "/missing.json")) { error in
            XCTAssertEqual("\(error)", "\(dir)/missing.json: missing or unreadable")
        }
    }

    func testAppendLineKeepsEveryLine() throws {
        let dir = try tempDir()
        for i in 0..<5 { try AtomicFile.appendLine("{\"i\":\(i)}", to: dir + "/stats.jsonl") }
        let text = try String(contentsOfFile: dir + "/stats.jsonl", encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").map(String.init), (0..<5).map { "{\"i\":\($0)}" })
    }

    func testVerdictFindingClassification() {
        XCTAssertEqual(Verdict.allCases.filter(\.isFinding), [.crash, .hang, .mismatch, .nan])
    }
}
