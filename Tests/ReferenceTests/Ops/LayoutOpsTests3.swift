import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType = .i64) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// Tile, DepthToSpace, SpaceToDepth, ReverseSequence, Split (2, 3, 4 outputs), EyeLike, EyeLikeTo (Specs/layout).
final class LayoutOpsTests3: XCTestCase {
    func testTile() throws {
        // [[0, 1, 2], [3, 4, 5]] repeated twice along rows, then twice along columns.
        let x = iota([2, 3])
        assertClose(try evalOp("Tile", [x], ["repeats": .ints([2, 1])])[0], t([4, 3], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]))
        assertClose(try evalOp("Tile", [x], ["repeats": .ints([1, 2])])[0], t([2, 6], [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]))
        assertClose(try evalOp("Tile", [ints([2], [7, 9], .i32)], ["repeats": .ints([3])])[0], ints([6], [7, 9, 7, 9, 7, 9], .i32))
        assertClose(try evalOp("Tile", [x], ["repeats": .ints([1, 1])])[0], x)
    }

    func testDepthToSpace() throws {
        // X [1, 8, 1, 1] holds its channel number; b = 2 gives Y [1, 2, 2, 2].
        let x = iota([1, 8, 1, 1])
        // DCR: Y[c, y, x] = X[(y * 2 + x) * 2 + c].
        let dcr = try evalOp("DepthToSpace", [x], ["blocksize": .int(2)])[0]
        assertClose(dcr, t([1, 2, 2, 2], [0, 2, 4, 6, 1, 3, 5, 7]))
        // CRD: Y[c, y, x] = X[c * 4 + y * 2 + x], the channels in order.
        let crd = try evalOp("DepthToSpace", [x], ["blocksize": .int(2), "mode": .name("CRD")])[0]
        assertClose(crd, t([1, 2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]))
        // X [1, 4, 1, 2] (X[c, 0, w] = 2c + w) to Y [1, 1, 2, 4]: Y[y, x] = X[y * 2 + x % 2, 0, x / 2].
        assertClose(try evalOp("DepthToSpace", [iota([1, 4, 1, 2])], ["blocksize": .int(2)])[0],
                    t([1, 1, 2, 4], [0, 2, 1, 3, 4, 6, 5, 7]))
        // The channel count must be a multiple of b^2.
        XCTAssertThrowsError(try evalOp("DepthToSpace", [iota([1, 6, 1, 1])], ["blocksize": .int(2)]))
    }

    func testSpaceToDepth() throws {
        // X [1, 2, 2, 2], X[c, h, w] = 4c + 2h + w, b = 2: Y [1, 8, 1, 1].
        let x = iota([1, 2, 2, 2])
        // DCR: channel (i * 2 + j) * 2 + c holds X[c, i, j].
        assertClose(try evalOp("SpaceToDepth", [x], ["blocksize": .int(2)])[0], t([1, 8, 1, 1], [0, 4, 1, 5, 2, 6, 3, 7]))
        // CRD: channel c * 4 + i * 2 + j holds X[c, i, j], which is that channel's number.
        assertClose(try evalOp("SpaceToDepth", [x], ["blocksize": .int(2), "mode": .name("CRD")])[0], iota([1, 8, 1, 1]))
        XCTAssertThrowsError(try evalOp("SpaceToDepth", [iota([1, 1, 3, 2])], ["blocksize": .int(2)]))
        // SpaceToDepth undoes DepthToSpace in either mode.
        let big = iota([2, 8, 2, 3])
        for mode in ["DCR", "CRD"] {
            let a: [String: AttributeValue] = ["blocksize": .int(2), "mode": .name(mode)]
            let down = try evalOp("DepthToSpace", [big], a)[0]
            XCTAssertEqual(down.shape, [2, 2, 4, 6])
            assertClose(try evalOp("SpaceToDepth", [down], a)[0], big)
        }
    }

    func testReverseSequence() throws {
        // time_axis 1, batch_axis 0: row b reverses its first L[b] elements.
        let x = iota([4, 4])
        let y = try evalOp("ReverseSequence", [x, ints([4], [1, 2, 3, 4])], ["time_axis": .int(1)])[0]
        assertClose(y, t([4, 4], [0, 1, 2, 3, 5, 4, 6, 7, 10, 9, 8, 11, 15, 14, 13, 12]))
        // time_axis 0: X [3, 2], column 0 reversed whole, column 1 (L = 1) unchanged.
        let z = try evalOp("ReverseSequence", [iota([3, 2]), ints([2], [3, 1])], ["time_axis": .int(0)])[0]
        assertClose(z, t([3, 2], [4, 1, 2, 3, 0, 5]))
        // A trailing axis moves with its (time, batch) element.
        let w = try evalOp("ReverseSequence", [iota([2, 1, 2]), ints([1], [2])])[0]
        assertClose(w, t([2, 1, 2], [2, 3, 0, 1]))
    }

    func testSplit() throws {
        let x = iota([5])
        // Default: ceil(5 / 2) = 3 and the rest.
        let even = try evalOp("Split", [x])
        assertClose(even[0], t([3], [0, 1, 2]))
        assertClose(even[1], t([2], [3, 4]))
        let given = try evalOp("Split", [x], ["split": .ints([1, 4])])
        assertClose(given[0], t([1], [0]))
        assertClose(given[1], t([4], [1, 2, 3, 4]))
        let empty = try evalOp("Split", [x], ["split": .ints([0, 5])])
        XCTAssertEqual(empty[0].shape, [0])
        assertClose(empty[1], x)
        // Negative axis on [2, 3]: columns [0, 1] and [2].
        let cols = try evalOp("Split", [iota([2, 3])], ["axis": .int(-1), "split": .ints([2, 1])])
        assertClose(cols[0], t([2, 2], [0, 1, 3, 4]))
        assertClose(cols[1], t([2, 1], [2, 5]))
        // Sizes that do not add up to the axis are refused.
        XCTAssertThrowsError(try evalOp("Split", [x], ["split": .ints([2, 2])]))
    }

    func testSplit3And4() throws {
        // Seven elements: ceil(7 / 3) = 3, 3, 1 and ceil(7 / 4) = 2, 2, 2, 1.
        let x = iota([7])
        let three = try evalOp("Split3", [x])
        XCTAssertEqual(three.map(\.shape), [[3], [3], [1]])
        assertClose(three[2], t([1], [6]))
        let four = try evalOp("Split4", [x])
        XCTAssertEqual(four.map(\.shape), [[2], [2], [2], [1]])
        assertClose(four[1], t([2], [2, 3]))
        assertClose(four[3], t([1], [6]))
        // Given sizes along axis 0 of [3, 2].
        let rows = try evalOp("Split3", [iota([3, 2])], ["split": .ints([1, 0, 2])])
        assertClose(rows[0], t([1, 2], [0, 1]))
        XCTAssertEqual(rows[1].shape, [0, 2])
        assertClose(rows[2], t([2, 2], [2, 3, 4, 5]))
    }

    func testEyeLike() throws {
        // X's values are ignored; ones where j - i == k.
        let x = ints([3, 4], Array(repeating: 9, count: 12), .i32)
        assertClose(try evalOp("EyeLike", [x], ["k": .int(1)])[0], ints([3, 4], [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], .i32))
        assertClose(try evalOp("EyeLike", [iota([2, 2])])[0], t([2, 2], [1, 0, 0, 1]))
        // k past the matrix: all zeros.
        assertClose(try evalOp("EyeLike", [iota([2, 2])], ["k": .int(3)])[0], t([2, 2], [0, 0, 0, 0]))
        // EyeLikeTo: the dtype attribute picks the output's dtype.
        let y = try evalOp("EyeLikeTo", [x], ["dtype": .dtype(.f64), "k": .int(-1)])[0]
        assertClose(y, t([3, 4], [0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0], .f64))
    }
}
