import XCTest
@testable import Campaign

/// What `replay --expect` asks of each finding.
final class ReplayRunTests: XCTestCase {
    func testAutoExpectsInjectedFaultFindingsToReproduceAndOthersToBeFixed() {
        let faulty = CampaignConfig(seed: 1, backends: ["vm-O0"], nodes: 10, faults: ["broadcast-stride"])
        let clean = CampaignConfig(seed: 1, backends: ["vm-O0"], nodes: 10)
        func run(_ e: ReplayRun.Expectation) -> ReplayRun { ReplayRun(expect: e, times: 1) { _ in TestWorker(executable: "/bin/false", arguments: []) } }
        XCTAssertEqual(run(.auto).expected(faulty), .reproduces)
        XCTAssertEqual(run(.auto).expected(clean), .fixed)
        XCTAssertEqual(run(.reproduces).expected(clean), .reproduces)
        XCTAssertEqual(run(.fixed).expected(faulty), .fixed)
    }

    func testABadFindingFileStopsTheRunBeforeAnyReplay() {
        var started = 0
        let run = ReplayRun(expect: .auto, times: 1) { _ in started += 1; return TestWorker(executable: "/bin/false", arguments: []) }
        XCTAssertThrowsError(try run.run(["/nonexistent/f-1"]))
        XCTAssertEqual(started, 0)
    }
}
