import XCTest
@testable import LoopIR

/// The loop nest a schedule lowers to, as the VM walks it: which elements it stores, where, and how often.
final class LoopNestTests: XCTestCase {
    static let shapes: [[Int]] = [[], [5], [16], [19], [0, 3], [3, 10], [4, 19], [7, 4], [2, 3, 9], [2, 9, 3]]

    /// Every schedule the flags can express: tile sizes with and without a remainder, unroll, vector, reorder, parallel.
    static var schedules: [LoopSchedule] {
        var out: [LoopSchedule] = []
        for tile in [0, 3, 8] {
            for (unroll, vector) in [(0, 0), (4, 0), (0, 4), (3, 0), (0, 2)] {
                for reorder in [false, true] {
                    for parallel in [false, true] {
                        var s = LoopSchedule()
                        (s.tile, s.unroll, s.vector, s.reorder, s.parallel) = (tile, unroll, vector, reorder, parallel)
                        out.append(s)
                    }
                }
            }
        }
        return out
    }

    func visits(_ shape: [Int], _ s: LoopSchedule, _ transforms: LoopTransforms = LoopTransforms()) -> [(index: [Int], position: Int)] {
        VM.visits(LoopNestBuilder.nest(shape: shape, schedule: s, firstFreeSlot: shape.count, transforms), rank: shape.count)
    }

    /// Every index of `shape` in row-major order, with its row-major position.
    static func rowMajor(_ shape: [Int]) -> [[Int]] {
        shape.reduce([[]]) { prefixes, n in prefixes.flatMap { p in (0..<n).map { p + [$0] } } }
    }

    func position(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    func testEveryScheduleStoresEveryElementOnceAtItsRowMajorPosition() {
        var checked = 0
        for shape in Self.shapes {
            let all = Self.rowMajor(shape)
            for s in Self.schedules {
                let v = visits(shape, s)
                XCTAssertEqual(v.map(\.index).sorted { $0.lexicographicallyPrecedes($1) }, all, "\(shape) \(s)")
                XCTAssertEqual(v.map(\.position).sorted(), Array(all.indices), "\(shape) \(s)")
                for (index, p) in v where p != position(index, shape) { XCTFail("\(shape) \(s): \(index) stored at \(p)") }
                checked += 1
            }
        }
        XCTAssertEqual(checked, Self.shapes.count * 60)
    }

    func testAScheduleWithoutReorderKeepsTheOuterLoopsInRowMajorOrder() {
        var s = LoopSchedule()
        (s.tile, s.unroll) = (8, 4)
        // Tiling and unrolling only split the innermost loop: the elements still come in row-major order.
        XCTAssertEqual(visits([3, 19], s).map(\.index), Self.rowMajor([3, 19]))
        s.reorder = true
        XCTAssertEqual(visits([3, 19], s).prefix(4).map(\.index), [[0, 0], [1, 0], [2, 0], [0, 1]])
    }

    func testTheTiledUnrolledNestHasATileLoopChunksAndARemainder() {
        var s = LoopSchedule()
        (s.tile, s.unroll, s.parallel) = (8, 4, true)
        let nest = LoopNestBuilder.nest(shape: [19], schedule: s, firstFreeSlot: 2, LoopTransforms())
        XCTAssertEqual(nest.description, """
            for s2 in 0 ..< 3 parallel
              for s3 in (s2 * 8) ..< ((s2 * 8) + (((gs_mini(((s2 * 8) + 8), 19) - (s2 * 8)) / 4) * 4)) step 4
                for s0 in s3 ..< (s3 + 4) unrolled
                  out[s0] = value
              for s0 in ((s2 * 8) + (((gs_mini(((s2 * 8) + 8), 19) - (s2 * 8)) / 4) * 4)) ..< gs_mini(((s2 * 8) + 8), 19)
                out[s0] = value
            """)
    }

    func testTheParallelMarkIsOnTheOutermostLoopOrTheTileLoopOfARank1Kernel() {
        func parallelLoops(_ shape: [Int], tile: Int) -> [Int] {
            var s = LoopSchedule()
            (s.tile, s.parallel) = (tile, true)
            return Self.loops(LoopNestBuilder.nest(shape: shape, schedule: s, firstFreeSlot: shape.count, LoopTransforms()))
                .filter { $0.kind == .parallel }.map(\.variable)
        }
        XCTAssertEqual(parallelLoops([64, 64], tile: 8), [0])
        XCTAssertEqual(parallelLoops([64], tile: 8), [1], "the tile loop, in the first free slot")
        XCTAssertEqual(parallelLoops([64], tile: 0), [], "an untiled rank-1 kernel has no loop worth splitting")
    }

    /// Every loop of `nest`, outermost first.
    static func loops(_ nest: LoopNest) -> [Loop] {
        switch nest {
        case .store: return []
        case .sequence(let parts): return parts.flatMap(loops)
        case .loop(let l): return [l] + loops(l.body)
        }
    }
}
