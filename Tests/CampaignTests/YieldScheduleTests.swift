import Campaign
import Generator
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// The schedule arms and the choice among them by failure rate.
final class YieldScheduleTests: XCTestCase {
    let arms = ScheduleArm.all.map(\.name)

    func testArmsResizeAndNarrowTheConfiguration() throws {
        var base = GeneratorConfig()
        base.nodes = 10
        XCTAssertEqual(ScheduleArm.named("small-any")?.apply(to: base)?.nodes, 5)
        XCTAssertEqual(ScheduleArm.named("large-any")?.apply(to: base)?.nodes, 15)
        XCTAssertEqual(ScheduleArm.named("base-any")?.apply(to: base), base)
        let float = try XCTUnwrap(ScheduleArm.named("base-float")?.apply(to: base))
        XCTAssertFalse(float.dtypes.isEmpty)
        XCTAssertTrue(float.dtypes.allSatisfy(\.isFloat))
        XCTAssertTrue(try XCTUnwrap(ScheduleArm.named("small-integer")?.apply(to: base)).dtypes.allSatisfy { $0.isInteger || $0.isBool })
        // A campaign of int32 only has no float arm, and its integer arm keeps int32 alone.
        base.dtypes = [.i32]
        XCTAssertNil(ScheduleArm.named("large-float")?.apply(to: base))
        XCTAssertEqual(ScheduleArm.named("large-integer")?.apply(to: base)?.dtypes, [.i32])
        XCTAssertEqual(ScheduleArm.all.count, 9)
        XCTAssertEqual(Set(arms).count, 9)
    }

    func testEvenTestsTakeTheArmsInTurn() {
        let s = YieldSchedule()
        XCTAssertEqual((0..<9).map { s.arm(of: 2 * $0, among: arms) }, arms)
        XCTAssertEqual(s.arm(of: 18, among: arms), arms[0])
        XCTAssertNil(s.arm(of: 1, among: []))
    }

    /// Odd tests go to the arm that failed most, read with one batch of lag; before any failure, to the least tried.
    func testOddTestsFollowTheFailuresOfTheBatchBeforeLast() {
        var s = YieldSchedule()
        let batch = RuleSteering.batch
        for k in 0..<batch {
            let arm = k < 20 ? "small-integer" : arms[k % arms.count]
            s.record(local: k, arm: arm, failed: arm == "small-integer" && k % 2 == 0)
        }
        // Batch 1 cannot see batch 0 yet: its odd tests all take one arm, whatever failed.
        let early = Set((batch..<(2 * batch)).filter { $0 % 2 == 1 }.compactMap { s.arm(of: $0, among: arms) })
        XCTAssertEqual(early.count, 1)
        // Batch 2 sees batch 0: ten of the twenty small-integer tests failed.
        for k in stride(from: 2 * batch + 1, to: 3 * batch, by: 2) { XCTAssertEqual(s.arm(of: k, among: arms), "small-integer") }
        // Without failures, the least tried arm.
        var quiet = YieldSchedule()
        for (k, arm) in arms.enumerated() where arm != "large-float" { quiet.record(local: k, arm: arm, failed: false) }
        XCTAssertEqual(quiet.arm(of: 2 * batch + 1, among: arms), "large-float")
    }

    func testTheYieldSumsBatchesAndDirectories() throws {
        var s = YieldSchedule()
        s.record(local: 0, arm: "base-any", failed: true)
        s.record(local: 200, arm: "base-any", failed: false)
        s.record(local: 3, arm: "small-float", failed: false)
        XCTAssertEqual(s.yield.map(\.arm), ["base-any", "small-float"])
        XCTAssertEqual(s.yield.first?.tests, 2)
        XCTAssertEqual(s.yield.first?.failures, 1)
        let merged = YieldSchedule.merge([s.yield, s.yield])
        XCTAssertEqual(merged.first?.tests, 4)
        XCTAssertEqual(merged.last?.failures, 0)
        let back = try JSONDecoder().decode(YieldSchedule.self, from: try JSONEncoder().encode(s))
        XCTAssertEqual(back, s)
    }

    /// A scheduled plan makes an arm's test with the arm's size, records the arm, and makes the configuration's own
    /// test when the arm is not possible.
    func testAScheduledPlanGeneratesWithTheArm() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = CampaignConfig(seed: 7, backends: ["vm-O0"], nodes: 6)
        config.schedule = true
        var generator = try config.generator.config()
        generator.dtypes = [.f32, .i64]
        let plan = try TestPlan(library: library, config: config, generatorConfig: generator, preparer: RandomInputPreparer(library: library))
        let small = try plan.prepare(index: 3, arm: ScheduleArm.named("small-integer"))
        XCTAssertEqual(small.arm?.name, "small-integer")
        XCTAssertEqual(small.model.nodes.count, 3)
        let large = try plan.prepare(index: 3, arm: ScheduleArm.named("large-float"))
        XCTAssertEqual(large.model.nodes.count, 9)
        let plain = try plan.prepare(index: 3)
        XCTAssertNil(plain.arm)
        XCTAssertEqual(plain.model.nodes.count, 6)
        // Unscheduled campaigns have no arm generators: an arm asked for is ignored.
        config.schedule = nil
        let unscheduled = try TestPlan(library: library, config: config, generatorConfig: generator, preparer: RandomInputPreparer(library: library))
        XCTAssertNil(try unscheduled.prepare(index: 3, arm: ScheduleArm.named("small-integer")).arm)
    }

    /// Odd tests focus on the backend that failed most in the window, even ones run every backend, and nothing is
    /// focused on while nothing failed.
    func testOddTestsFocusOnTheBackendThatFailed() {
        let backends = BackendArm.names(["vm-O0", "vm-O3"])
        XCTAssertEqual(backends, ["backend:vm-O0", "backend:vm-O3"])
        XCTAssertEqual(BackendArm.names(["vm-O0"]), [], "one backend is nothing to choose")
        XCTAssertEqual(BackendArm.names(["vm-O0", "has space"]), ["backend:vm-O0"])
        XCTAssertEqual(BackendArm.backend("backend:vm-O3"), "vm-O3")
        XCTAssertNil(BackendArm.backend("small-any"))
        var s = YieldSchedule()
        let batch = RuleSteering.batch
        for k in 0..<batch {
            s.record(local: k, arm: "backend:vm-O0", failed: false)
            s.record(local: k, arm: "backend:vm-O3", failed: k % 8 == 0)
        }
        // Batch 1 cannot see batch 0 yet.
        XCTAssertNil(s.focus(of: batch + 1, among: backends))
        for k in (2 * batch)..<(3 * batch) {
            XCTAssertEqual(s.focus(of: k, among: backends), k % 2 == 1 ? "backend:vm-O3" : nil, "test \(k)")
        }
        var quiet = YieldSchedule()
        for k in 0..<batch { for b in backends { quiet.record(local: k, arm: b, failed: false) } }
        XCTAssertNil(quiet.focus(of: 2 * batch + 1, among: backends))
        // Failures of batch 0 only: forgotten once the focus window has moved past them.
        for k in batch..<(8 * batch) { for b in backends { s.record(local: k, arm: b, failed: false) } }
        let late = (2 + YieldSchedule.focusWindow) * batch + 1
        XCTAssertEqual(s.focus(of: late - batch, among: backends), "backend:vm-O3")
        XCTAssertNil(s.focus(of: late, among: backends))
    }
}
