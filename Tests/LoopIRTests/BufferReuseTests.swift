import XCTest
@testable import LoopIR

/// `buffer-reuse`: which storage slot each value gets, with the pass on, off, and with the fault.
final class BufferReuseTests: XCTestCase {
    // x -> a -> b -> c, and d reads a and c: a stays live until d.
    let steps = [
        BufferReuse.Step(reads: ["x"], writes: ["a"]),
        BufferReuse.Step(reads: ["a"], writes: ["b"]),
        BufferReuse.Step(reads: ["b"], writes: ["c"]),
        BufferReuse.Step(reads: ["a", "c"], writes: ["d"]),
    ]

    func testADeadValueHandsItsSlotOn() {
        let plan = BufferReuse.plan(steps, given: ["x"], kept: ["d"], reuse: true)
        // In place: b dies at the step that writes c, so c takes b's slot; a and c die at d's step, d takes one.
        XCTAssertEqual(plan, ["x": 0, "a": 1, "b": 2, "c": 2, "d": 2])
    }

    func testEveryValueHasItsOwnSlotWithoutThePass() {
        let plan = BufferReuse.plan(steps, given: ["x"], kept: ["d"], reuse: false)
        XCTAssertEqual(plan, ["x": 0, "a": 1, "b": 2, "c": 3, "d": 4])
    }

    func testTheFaultReusesAValueThatIsStillRead() {
        // a dies at its first reader (step 1), so b, written there, takes a's slot while d still needs a.
        let plan = BufferReuse.plan(steps, given: ["x"], kept: ["d"], reuse: true, liveness: LoweringVariants(injecting: [.bufferReusedWhileLive]).liveness)
        XCTAssertEqual(plan["b"], plan["a"])
    }
}
