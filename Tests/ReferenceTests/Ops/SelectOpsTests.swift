import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType = .i64) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// TopK and Hardmax (Specs/index, Specs/norm), with ties.
final class SelectOpsTests: XCTestCase {
    func testTopK() throws {
        // Rows of 0..11, k = 3 along the last axis: the three largest, best first.
        let x = iota([3, 4])
        let r = try evalOp("TopK", [x], ["k": .ints([3]), "axis": .int(1)])
        assertClose(r[0], t([3, 3], [3, 2, 1, 7, 6, 5, 11, 10, 9]))
        assertClose(r[1], ints([3, 3], [3, 2, 1, 3, 2, 1, 3, 2, 1]))
        // Smallest, and a negative axis.
        let s = try evalOp("TopK", [x], ["k": .ints([2]), "axis": .int(-1), "largest": .int(0)])
        assertClose(s[0], t([3, 2], [0, 1, 4, 5, 8, 9]))
        assertClose(s[1], ints([3, 2], [0, 1, 0, 1, 0, 1]))
    }

    func testTopKTiesTakeTheLowerIndexFirst() throws {
        let x = ints([5], [1, 3, 3, 0, 3])
        let big = try evalOp("TopK", [x], ["k": .ints([3])])
        assertClose(big[0], ints([3], [3, 3, 3]))
        assertClose(big[1], ints([3], [1, 2, 4]))
        let small = try evalOp("TopK", [x], ["k": .ints([2]), "largest": .int(0)])
        assertClose(small[0], ints([2], [0, 1]))
        assertClose(small[1], ints([2], [3, 0]))
        // All equal: indices in order.
        let same = try evalOp("TopK", [ints([4], [0, 0, 0, 0])], ["k": .ints([3])])
        assertClose(same[1], ints([3], [0, 1, 2]))
        // Along axis 0 of [[1, 5], [3, 4], [2, 6]] (written -2), k = 2.
        let cols = try evalOp("TopK", [t([3, 2], [1, 5, 3, 4, 2, 6])], ["k": .ints([2]), "axis": .int(-2)])
        assertClose(cols[0], t([2, 2], [3, 6, 2, 5]))
        assertClose(cols[1], ints([2, 2], [1, 2, 2, 0]))
        // k = 0 gives empty outputs; k past the axis is refused.
        XCTAssertEqual(try evalOp("TopK", [x], ["k": .ints([0])])[0].shape, [0])
        XCTAssertThrowsError(try evalOp("TopK", [x], ["k": .ints([6])]))
    }

    func testHardmax() throws {
        // Ties go to the first: row [5, 5, 1] marks position 0.
        let x = t([2, 3], [1, 3, 2, 5, 5, 1])
        assertClose(try evalOp("Hardmax", [x])[0], t([2, 3], [0, 1, 0, 1, 0, 0]))
        assertClose(try evalOp("Hardmax", [x], ["axis": .int(-1)])[0], t([2, 3], [0, 1, 0, 1, 0, 0]))
        // Axis 0: column-wise, 1 vs 5, 3 vs 5, 2 vs 1.
        assertClose(try evalOp("Hardmax", [x], ["axis": .int(0)])[0], t([2, 3], [0, 0, 1, 1, 1, 0]))
        // A constant row marks its first element.
        assertClose(try evalOp("Hardmax", [t([1, 4], [2, 2, 2, 2], .f64)])[0], t([1, 4], [1, 0, 0, 0], .f64))
    }
}
