import XCTest
@testable import LoopIR

/// The faulty loop-nest transformations the fault registry swaps in: each stores exactly its wrong set.
final class FaultyLoopNestTests: XCTestCase {
    func visits(_ shape: [Int], _ s: LoopSchedule, _ fault: Fault) -> [(index: [Int], position: Int)] {
        let transforms = LoweringVariants(injecting: [fault]).loops
        return VM.visits(LoopNestBuilder.nest(shape: shape, schedule: s, firstFreeSlot: shape.count, transforms), rank: shape.count)
    }

    func schedule(tile: Int = 0, unroll: Int = 0, vector: Int = 0, reorder: Bool = false) -> LoopSchedule {
        var s = LoopSchedule()
        (s.tile, s.unroll, s.vector, s.reorder) = (tile, unroll, vector, reorder)
        return s
    }

    /// The innermost index of every element stored, with the outer index 0.
    func inner(_ v: [(index: [Int], position: Int)]) -> [Int] { v.filter { $0.index[0] == 0 }.map { $0.index[1] } }

    func testTheTileFaultDropsTheRemainderTile() {
        XCTAssertEqual(inner(visits([2, 19], schedule(tile: 8), .tileRemainderDropped)), Array(0..<16))
        XCTAssertEqual(inner(visits([2, 16], schedule(tile: 8), .tileRemainderDropped)), Array(0..<16), "no remainder to drop")
    }

    func testTheVectorFaultDropsTheTailOfEachTile() {
        XCTAssertEqual(inner(visits([2, 10], schedule(vector: 4), .vectorTailDropped)), Array(0..<8))
        // Tiles of 6: [0, 6) keeps 0..<4, [6, 12) keeps 6..<10, [12, 14) is all tail.
        XCTAssertEqual(inner(visits([2, 14], schedule(tile: 6, vector: 4), .vectorTailDropped)), Array(0..<4) + Array(6..<10))
    }

    func testTheUnrollFaultStopsEachRemainderLoopOneShort() {
        XCTAssertEqual(inner(visits([2, 10], schedule(unroll: 4), .unrollRemainderShort)), Array(0..<9))
        XCTAssertEqual(inner(visits([2, 8], schedule(unroll: 4), .unrollRemainderShort)), Array(0..<8), "no remainder")
        // Tiles of 6 leave a remainder of 2 each ([4, 6) ...) and the last tile [18, 19) one: each loses its last.
        let kept = inner(visits([2, 19], schedule(tile: 6, unroll: 4), .unrollRemainderShort))
        XCTAssertEqual(kept, Array(0..<19).filter { ![5, 11, 17, 18].contains($0) })
    }

    func testTheReorderFaultStoresWithTheSwappedLoopsStrides() {
        let v = visits([3, 5], schedule(reorder: true), .reorderWrongStride)
        XCTAssertEqual(v.count, 15)
        // The swapped loops run over a [5, 3] array: (i0, i1) lands at i1 * 3 + i0 instead of i0 * 5 + i1.
        for (index, p) in v { XCTAssertEqual(p, index[1] * 3 + index[0], "\(index)") }
        XCTAssertEqual(Set(v.map(\.position)), Set(0..<15), "every position is written, with the wrong element")
    }

    func testALoopFaultOnlyActsWhenItsPassScheduledTheLoop() {
        for fault in [Fault.tileRemainderDropped, .vectorTailDropped, .unrollRemainderShort, .reorderWrongStride] {
            let v = visits([3, 10], schedule(), fault)
            XCTAssertEqual(v.map(\.position), Array(0..<30), "\(fault)")
        }
    }

    func testTheRegistrySwapsOnePiecePerLoopIRFaultAndNoneForAGraphPassFault() {
        let correct = LoweringVariants().description.split(separator: " ")
        for fault in Fault.allCases {
            let changed = zip(correct, LoweringVariants(injecting: [fault]).description.split(separator: " ")).filter { $0 != $1 }
            XCTAssertEqual(changed.count, fault.stage == "graph pass" ? 0 : 1, "\(fault): \(changed)")
        }
        XCTAssertEqual(LoweringOptions(level: 2, faults: []), LoweringOptions(level: 2))
        XCTAssertNotEqual(LoweringOptions(level: 2, faults: [.tileRemainderDropped]), LoweringOptions(level: 2))
    }
}
