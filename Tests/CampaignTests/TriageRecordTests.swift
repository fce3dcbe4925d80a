import Backends
import Foundation
import Oracle
import XCTest
@testable import Campaign

/// Triage classes in finding.json, triage.json and the reports; older folders without them still read.
final class TriageRecordTests: XCTestCase {
    func report(_ index: Int, verdict: Verdict = .pass, _ outcomes: [(String, Triage?, String)]) -> TestReport {
        var r = TestReport(index: index, seed: UInt64(100 + index), verdict: verdict)
        r.outcomes = outcomes.map { BackendOutcome(backend: $0.0, triage: $0.1, message: $0.2) }
        return r
    }

    /// openvino: 4 tests, 2 passed, 1 unsupported (twice the same message class), 1 precision-policy; the reference:
    /// one test with undefined behaviour.
    func record() -> TriageRecord {
        var t = TriageRecord()
        let names: Set<String> = ["Mod", "Exp"]
        t.add(report(0, [("openvino", nil, "")]), operatorNames: names)
        t.add(report(1, [("openvino", .unsupported, "No conversion rule found for operations: Mod-13")]), operatorNames: names)
        t.add(report(2, [("openvino", .precisionPolicy, "outputs agree at f32")]), operatorNames: names)
        t.add(report(3, [("openvino", nil, "")]), operatorNames: names)
        t.add(TestReport(index: 4, seed: 104, verdict: .invalid, triage: .undefinedBehaviour, detail: "Add producing 'v' overflows"),
              operatorNames: names)
        return t
    }

    func testCountsPerBackendAndDeduplicatedEntries() {
        var t = record()
        t.add(report(5, [("openvino", .unsupported, "No conversion rule found for operations: Exp-6")]), operatorNames: ["Mod", "Exp"])
        let ov = t.backends["openvino"]!
        XCTAssertEqual(ov.tests, 5)
        XCTAssertEqual(ov.passed, 2)
        XCTAssertEqual(ov[.unsupported], 2)
        XCTAssertEqual(ov[.precisionPolicy], 1)
        XCTAssertEqual(t.backends[TriageRecord.referenceName]?[.undefinedBehaviour], 1)
        let unsupported = t.apart.filter { $0.triage == .unsupported }
        XCTAssertEqual(unsupported.count, 1, "the operator and its opset are masked")
        XCTAssertEqual(unsupported.first?.hits, 2)
        XCTAssertEqual(unsupported.first?.test, 1, "the first hit is kept")
        XCTAssertEqual(t.apart.map(\.triage), [.unsupported, .precisionPolicy, .undefinedBehaviour])
    }

    func testAFailingOutcomeIsCountedButNotListedApart() {
        var t = TriageRecord()
        t.add(report(0, verdict: .mismatch, [("tvm", .wrongResult, "output 0 differs")]), operatorNames: [])
        // A worker that died reports no outcomes: its failing backend is counted from the report.
        t.add(TestReport(index: 1, seed: 1, verdict: .crash, stage: .compile, backends: ["tvm"], detail: "worker killed by signal 11"),
              operatorNames: [])
        XCTAssertEqual(t.backends["tvm"]?[.wrongResult], 1)
        XCTAssertEqual(t.backends["tvm"]?[.crash], 1)
        XCTAssertEqual(t.apart, [])
    }

    func testMergingSumsCountsAndJoinsEntries() {
        let m = record().merged(with: record())
        XCTAssertEqual(m.backends["openvino"]?.tests, 8)
        XCTAssertEqual(m.backends["openvino"]?[.unsupported], 2)
        XCTAssertEqual(m.apart.count, 3)
        XCTAssertEqual(m.apart.map(\.hits), [2, 2, 2])
    }

    /// A finding.json written before triage classes: the class comes from the verdict, and a rerun that files the
    /// same internal error under `internal-error` still reproduces it.
    func testAnOlderFindingRecordDerivesItsClassAndStillReplays() throws {
        let crash = Fingerprint(verdict: .crash, stage: .execute, operatorClass: "", backends: ["vm-O0"],
                                message: "Div: index 3 out of range", operatorNames: ["Div"])
        let new = FindingRecord(id: crash.id, fingerprint: crash, verdict: .crash, stage: .execute, backends: ["vm-O0"],
                                operators: ["Div"], message: "m", test: 1, testSeed: 2, elapsed: 0, hits: 1, repro: "r")
        var json = try JSONSerialization.jsonObject(with: try JSONCoding.encode(new)) as! [String: Any]
        XCTAssertEqual(json["triage"] as? String, "crash")
        json.removeValue(forKey: "triage")
        let old = try JSONDecoder().decode(FindingRecord.self, from: try JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old.triage, .crash)
        XCTAssertFalse(old.triageRecorded)
        let rerun = Fingerprint(verdict: .crash, triage: .internalError, stage: .execute, operatorClass: "", backends: ["vm-O0"],
                                message: "Div: index 5 out of range", operatorNames: ["Div"])
        XCTAssertNotEqual(rerun, crash)
        XCTAssertTrue(old.isReproduced(by: rerun))
        XCTAssertFalse(new.isReproduced(by: rerun), "a record with its class stored is matched exactly")
        var other = rerun
        other.backends = ["vm-O1"]
        XCTAssertFalse(old.isReproduced(by: other))
        // An internal error's record without a stored class is recognised by its fingerprint.
        let internalRecord = FindingRecord(id: rerun.id, fingerprint: rerun, verdict: .crash, stage: .execute, backends: ["vm-O0"],
                                           operators: [], message: "m", test: 1, testSeed: 2, elapsed: 0, hits: 1, repro: "r")
        XCTAssertEqual(internalRecord.triage, .internalError)
    }

    func testReportsShowTheOutcomesApartAndOlderDirectoriesOpen() throws {
        let fx = try CampaignFixture(self)
        let withTriage = try fx.campaign("new", tests: 5, verdicts: ["pass": 4, "invalid": 1], findings: [])
        try AtomicFile.writeJSON(record(), to: withTriage + "/triage.json")
        let older = try fx.campaign("old", tests: 3, verdicts: ["pass": 3], findings: [])
        let m = CampaignMerge([try CampaignDirectory.read(withTriage), try CampaignDirectory.read(older)])
        XCTAssertEqual(m.triage.backends["openvino"]?.tests, 4)
        let md = ReportMarkdown.render(m)
        XCTAssertTrue(md.contains("- openvino: 4 tests, 2 passed; apart: 1 unsupported, 1 precision-policy."), md)
        XCTAssertTrue(md.contains("| unsupported | openvino | 1 | 1 (101) | No conversion rule found for operations: Mod-13 |"), md)
        let html = ReportHTML.render(m)
        XCTAssertTrue(html.contains("<h2>Outcomes per backend</h2>"))
        XCTAssertTrue(html.contains("<td>undefined-behaviour</td><td>reference</td>"), html)
        XCTAssertFalse(ReportMarkdown.render(CampaignMerge([try CampaignDirectory.read(older)])).contains("Outcomes per backend"))
    }

    func testJUnitFailsOnlyOnFailingClassesAndSummaryShowsThem() {
        let f = CampaignFixture.finding("f-aaaaaaaaaaaa", "k", elapsed: 1, hits: 1, test: 0)
        let summary = CampaignSummary(config: CampaignConfig(seed: 1, backends: ["openvino"], nodes: 3), state: CampaignState(),
                                      findings: [f], last: nil, triage: record())
        let junit = SummaryRendering.junit(summary)
        XCTAssertTrue(junit.contains("failures=\"1\""), junit)
        XCTAssertFalse(junit.contains("unsupported"), "outcomes apart are not test cases")
        let md = SummaryRendering.markdown(summary)
        XCTAssertTrue(md.contains("- findings: 1 (1 wrong-result)"), md)
        XCTAssertTrue(md.contains("| unsupported | openvino | 1 |"), md)
    }
}
