import Backends
import Foundation
import Oracle
import XCTest
@testable import Campaign

/// The known-findings file, and how a summary or report with known findings is rendered and judged.
final class KnownFindingsTests: XCTestCase {
    private func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "known-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A finding whose id is its fingerprint's, told apart by its operator class.
    private func finding(_ operatorClass: String, verdict: Verdict = .mismatch, hits: Int = 1) -> FindingRecord {
        let fp = Fingerprint(verdict: verdict, stage: .execute, operatorClass: operatorClass, backends: ["vm-O3"], message: "boom 12")
        return FindingRecord(id: fp.id, fingerprint: fp, verdict: verdict, stage: .execute, backends: ["reference", "vm-O3"],
                             operators: ["Add"], message: "max abs diff 0.5", test: 2, testSeed: 5, elapsed: 1, hits: hits,
                             repro: "graphsmith replay c/findings/\(fp.id)")
    }

    func testFileRoundTripsAndAddingAKnownIdUpdatesItsNote() throws {
        let path = try tempDir() + "/known.json"
        var file = KnownFindings()
        let a = finding("injective"), b = finding("reduction", verdict: .crash)
        XCTAssertEqual(file.add(a, note: "https://example.com/issues/1", added: "2026-01-02"),
                       .added(KnownFinding(id: a.fingerprint.id, fingerprint: a.fingerprint, note: "https://example.com/issues/1", added: "2026-01-02")))
        file.add(b, note: "crash, reported", added: "2026-01-03")
        try file.write(to: path)
        let back = try KnownFindings.read(path)
        XCTAssertEqual(back, file)
        XCTAssertEqual(back.known.map(\.id), [a.fingerprint.id, b.fingerprint.id])
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("\"https://example.com/issues/1\""), "URLs stay readable")

        var again = back
        guard case .updated(let entry, let previous) = again.add(a, note: "https://example.com/issues/9", added: "2026-05-05") else {
            return XCTFail("an id already there is updated, not added twice")
        }
        XCTAssertEqual(previous, "https://example.com/issues/1")
        XCTAssertEqual(entry.added, "2026-01-02", "the day it was first added stays")
        XCTAssertEqual(again.known.count, 2)
        XCTAssertEqual(again.entry(for: a)?.note, "https://example.com/issues/9")
    }

    func testAddFromFindingFoldersCreatesTheFile() throws {
        let dir = try tempDir()
        let a = finding("opaque")
        try FileManager.default.createDirectory(atPath: "\(dir)/findings/\(a.id)", withIntermediateDirectories: true)
        try AtomicFile.writeJSON(a, to: "\(dir)/findings/\(a.id)/finding.json")
        let changes = try KnownFindings.add(folders: ["\(dir)/findings/\(a.id)/"], note: "n", file: dir + "/k.json", added: "2026-12-06")
        XCTAssertEqual(changes.count, 1)
        XCTAssertEqual(try KnownFindings.read(dir + "/k.json").known.map(\.id), [a.fingerprint.id])
        XCTAssertThrowsError(try KnownFindings.add(folders: [dir], note: "n", file: dir + "/k.json", added: "2026-12-06")) { error in
            XCTAssertEqual("\(error)", "\(dir): not a finding folder (no finding.json)")
        }
    }

    func testBadFilesAreOneLineErrorsNamingTheFile() throws {
        let dir = try tempDir()
        let cases: [(String, String)] = [
            ("{\"version\": 1, \"known\": [", "not a valid known-findings file (corrupt JSON)"),
            ("{\"known\": []}", "not a valid known-findings file (missing field 'version')"),
            ("{\"version\": 2, \"entries\": {}}", "known-findings format version 2, this graphsmith reads 1"),
            ("{\"version\": 1, \"known\": [{\"id\": \"f-1\", \"note\": \"x\", \"added\": \"2026-01-01\"}]}",
             "'f-1' is not a finding id (f- and 12 hex digits)"),
            ("{\"version\": 1, \"known\": [{\"id\": \"f-00000000000a\", \"note\": \"x\", \"added\": \"d\"}, {\"id\": \"f-00000000000a\", \"note\": \"y\", \"added\": \"d\"}]}",
             "finding f-00000000000a is listed twice"),
            ("{\"version\": 1, \"known\": [{\"id\": \"f-00000000000a\", \"note\": \"x\", \"added\": \"d\", "
             + "\"fingerprint\": {\"symptom\": \"hang\", \"stage\": \"execute\"}}]}",
             "finding f-00000000000a: its fingerprint's id is \(Fingerprint(legacy: "hang|execute|||")!.id) (fix the id or drop the fingerprint)"),
        ]
        for (k, (text, message)) in cases.enumerated() {
            let path = "\(dir)/bad\(k).json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try KnownFindings.read(path)) { error in
                XCTAssertEqual("\(error)", "\(path): \(message)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        XCTAssertThrowsError(try KnownFindings.read(dir + "/none.json")) { XCTAssertEqual("\($0)", "\(dir)/none.json: missing or unreadable") }
        XCTAssertEqual(try KnownFindings.readIfPresent(dir + "/none.json"), KnownFindings())
    }

    func testFailingOnlyWithANewFinding() {
        let a = finding("injective"), b = finding("reduction")
        var known = KnownFindings()
        known.add(a, note: "n", added: "d")
        XCTAssertFalse(KnownFindings.failing(findings: [], known: known))
        XCTAssertFalse(KnownFindings.failing(findings: [a], known: known), "every finding is known")
        XCTAssertTrue(KnownFindings.failing(findings: [a, b], known: known), "b is new")
        XCTAssertTrue(KnownFindings.failing(findings: [a], known: KnownFindings()), "no file: every finding fails")
    }

    func testSummaryListsKnownApartAndJUnitFailsTheNewOnly() throws {
        let old = finding("injective", hits: 4), new = finding("reduction", verdict: .nan)
        var known = KnownFindings()
        known.add(old, note: "https://example.com/issues/7", added: "d")
        let summary = CampaignSummary(config: CampaignConfig(seed: 1, backends: ["vm-O3"], nodes: 3), state: CampaignState(),
                                      findings: [old, new], last: nil, known: known.matching([old, new]))
        let md = SummaryRendering.markdown(summary).split(separator: "\n").map(String.init)
        XCTAssertTrue(md.contains("- findings: 2 (2 wrong-result); 1 new, 1 known"), "\(md)")
        XCTAssertTrue(md.contains("- known: \(old.id) (https://example.com/issues/7): mismatch at execute, Add, 4 hits"), "\(md)")
        let rows = md.filter { $0.hasPrefix("| f-") }
        XCTAssertEqual(rows.count, 1, "only the new finding is in the table: \(md)")
        XCTAssertTrue(rows[0].hasPrefix("| \(new.id) | wrong-result | nan |"), rows[0])

        let junit = SummaryRendering.junit(summary)
        XCTAssertTrue(junit.contains("failures=\"1\" skipped=\"1\""), junit)
        XCTAssertEqual(junit.components(separatedBy: "<failure ").count - 1, 1)
        XCTAssertTrue(junit.contains("<skipped message=\"known: https://example.com/issues/7\"/>"), junit)
        let failing = try XCTUnwrap(junit.range(of: "<failure "))
        XCTAssertNotNil(junit[..<failing.lowerBound].range(of: new.id), "the failure is the new finding's")
    }

    func testReportListsKnownApart() throws {
        let fx = try CampaignFixture(self)
        let old = finding("injective"), new = finding("reduction")
        let dir = try fx.campaign("c", tests: 4, verdicts: ["pass": 2, "mismatch": 2], findings: [old, new])
        var m = CampaignMerge([try CampaignDirectory.read(dir)])
        var known = KnownFindings()
        known.add(old, note: "upstream #3", added: "d")
        m.markKnown(known)
        XCTAssertEqual(m.newFindings.map(\.finding.id), [new.id])
        let md = ReportMarkdown.render(m)
        XCTAssertTrue(md.contains("\n- known: \(old.id) (upstream #3): mismatch at execute, Add, 1 hit\n"), md)
        XCTAssertFalse(md.contains("| \(old.id) |"), md)
        XCTAssertTrue(md.contains("| \(new.id) |"), md)
        let html = ReportHTML.render(m)
        XCTAssertTrue(html.contains("<h2>Known findings</h2>") && html.contains("<li>known: \(old.id) (upstream #3)"), html)

        known.add(new, note: "also", added: "d")
        m.markKnown(known)
        XCTAssertTrue(ReportMarkdown.render(m).contains("\n## Findings\n\nNo new findings.\n"))
    }

    func testOlderConfigAndSummaryWithoutKnownStillDecode() throws {
        let dir = try tempDir()
        var config = CampaignConfig(seed: 1, backends: ["vm-O3"], nodes: 3)
        try AtomicFile.writeJSON(CampaignSummary(config: config, state: CampaignState(), findings: [], last: nil), to: dir + "/s.json")
        let text = try String(contentsOfFile: dir + "/s.json", encoding: .utf8)
        XCTAssertFalse(text.contains("knownFile"), "no file, no field")
        let stripped = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).filter { $0.key != "known" }
        try JSONSerialization.data(withJSONObject: stripped).write(to: URL(fileURLWithPath: dir + "/old.json"))
        let old = try JSONCoding.decode(CampaignSummary.self, from: dir + "/old.json")
        XCTAssertEqual(old.known, [])
        XCTAssertNil(old.config.knownFile)

        config.knownFile = "/abs/known.json"
        try AtomicFile.writeJSON(config, to: dir + "/config.json")
        XCTAssertEqual(try JSONCoding.decode(CampaignConfig.self, from: dir + "/config.json").knownFile, "/abs/known.json")
    }
}
