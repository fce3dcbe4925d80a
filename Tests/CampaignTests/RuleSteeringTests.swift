import Campaign
import XCTest

final class RuleSteeringTests: XCTestCase {
    let rules = ["A.r", "B.r", "C.r", "D.r", "E.r", "F.r"]

    func testTheFirstTwoBatchesAreNotSteered() {
        let s = RuleSteering()
        XCTAssertEqual(s.focus(of: 0, rules: rules), [])
        XCTAssertEqual(s.focus(of: 2 * RuleSteering.batch - 1, rules: rules), [])
        XCTAssertEqual(s.focus(of: 2 * RuleSteering.batch, rules: rules).count, RuleSteering.width)
    }

    /// Batch 2 reads batch 0 only; the rules fired there most are left out of its focus, and firings recorded in
    /// batch 1 (the lag) do not count yet.
    func testTheFocusIsTheLeastFiredRulesOfTheBatchesBeforeLast() {
        var s = RuleSteering()
        s.record(local: 3, compiler: ["rule:A.r": 1, "rule:B.r": 1, "pass:cse": 1, "path:lower-modulo": 1])
        s.record(local: 10, compiler: ["rule:A.r": 1])
        s.record(local: RuleSteering.batch + 1, compiler: ["rule:C.r": 1, "rule:D.r": 1, "rule:E.r": 1])
        let k = 2 * RuleSteering.batch
        let focus = s.focus(of: k, rules: rules)
        XCTAssertEqual(Set(focus), ["C.r", "D.r", "E.r", "F.r"])
        // Batch 3 reads batch 1 too: A fired twice, B to E once, F never.
        let next = s.focus(of: 3 * RuleSteering.batch, rules: rules)
        XCTAssertEqual(next.first, "F.r")
        XCTAssertFalse(next.contains("A.r"))
    }

    /// Rules no test fires tie at zero; which of them lead moves from batch to batch, so none holds the focus forever.
    func testTiesRotateFromBatchToBatch() {
        let s = RuleSteering()
        let many = (0..<40).map { "Op\($0).rule" }
        let focuses = Set((2..<12).map { s.focus(of: $0 * RuleSteering.batch, rules: many) })
        XCTAssertGreaterThan(focuses.count, 5)
        XCTAssertEqual(s.focus(of: 5 * RuleSteering.batch, rules: many), s.focus(of: 5 * RuleSteering.batch + 7, rules: many))
    }

    func testTheLedgerRoundTripsAndOldStatesReadWithoutIt() throws {
        var state = CampaignState()
        state.steering.record(local: 1, compiler: ["rule:A.r": 1])
        let data = try JSONEncoder().encode(state)
        XCTAssertEqual(try JSONDecoder().decode(CampaignState.self, from: data), state)
        let old = #"{"tests": 3, "nextTest": 3, "completedAhead": [], "verdicts": {"pass": 3}, "elapsed": 1.5}"#
        let read = try JSONDecoder().decode(CampaignState.self, from: Data(old.utf8))
        XCTAssertEqual(read.tests, 3)
        XCTAssertEqual(read.steering, RuleSteering())
    }
}
