import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
private func bools(_ shape: [Int], _ v: [Bool]) -> Tensor { Tensor(dtype: .bool, shape: shape, scalars: v.map { .bool($0) }) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Concat, Expand (Specs/layout); see LayoutOpsTests2 for the rest.
final class LayoutOpsTests: XCTestCase {
    func testTranspose() throws {
        // Y[a, b, c] = X[b, c, a] for perm [2, 0, 1] of X [2, 3, 4].
        let y = try evalOp("Transpose", [iota([2, 3, 4])], ["perm": .ints([2, 0, 1])])[0]
        var expected: [Double] = []
        for a in 0..<4 { for b in 0..<2 { for c in 0..<3 { expected.append(Double(b * 12 + c * 4 + a)) } } }
        assertClose(y, t([4, 2, 3], expected))
        assertClose(try evalOp("Transpose", [ints([2, 2], [1, 2, 3, 4], .i8)], ["perm": .ints([1, 0])])[0], ints([2, 2], [1, 3, 2, 4], .i8))
        // Transposing back with the inverse permutation ([1, 2, 0]) restores X.
        let back = try evalOp("Transpose", [y], ["perm": .ints([1, 2, 0])])[0]
        assertClose(back, iota([2, 3, 4]))
    }

    func testTransposeDefaultReversesTheAxes() throws {
        // Y[c, b, a] = X[a, b, c] for X [2, 3, 4].
        let y = try evalOp("Transpose", [iota([2, 3, 4])])[0]
        var expected: [Double] = []
        for c in 0..<4 { for b in 0..<3 { for a in 0..<2 { expected.append(Double(a * 12 + b * 4 + c)) } } }
        assertClose(y, t([4, 3, 2], expected))
        assertClose(try evalOp("Transpose", [t([2], [5, 6])])[0], t([2], [5, 6]))
        assertClose(try evalOp("Transpose", [t([], [5])])[0], t([], [5]))
    }

    func testReshape() throws {
        let x = iota([2, 3])
        assertClose(try evalOp("Reshape", [x], ["n": .int(2), "shape": .ints([3, 2])])[0], iota([3, 2]))
        assertClose(try evalOp("Reshape", [x], ["n": .int(3), "shape": .ints([1, 6, 1])])[0], iota([1, 6, 1]))
        assertClose(try evalOp("Reshape", [t([1, 1], [5])], ["n": .int(0), "shape": .ints([])])[0], t([], [5]))
        XCTAssertThrowsError(try evalOp("Reshape", [x], ["n": .int(1), "shape": .ints([5])]))
    }

    func testReshapeZeroAndMinusOne() throws {
        // The elements keep their row-major order whatever the shape, so every result is an iota.
        let x = iota([2, 3, 4])
        func reshape(_ shape: [Int], allowzero: Int = 0) throws -> Tensor {
            try evalOp("Reshape", [x], ["n": .int(shape.count), "shape": .ints(shape), "allowzero": .int(allowzero)])[0]
        }
        // -1 is inferred: 24 / (2 * 2) = 6.
        assertClose(try reshape([2, -1, 2]), iota([2, 6, 2]))
        assertClose(try reshape([-1]), iota([24]))
        // 0 copies the input's dim at the same position.
        assertClose(try reshape([0, 0, 4, 1]), iota([2, 3, 4, 1]))
        assertClose(try reshape([0, 3, -1, 1]), iota([2, 3, 4, 1]))
        assertClose(try reshape([0, -1]), iota([2, 12]))
        // At most one -1; the known dims must divide the count; a 0 past the input's rank is invalid.
        XCTAssertThrowsError(try reshape([-1, -1, 6]))
        XCTAssertThrowsError(try reshape([5, -1]))
        XCTAssertThrowsError(try reshape([2, 3, 4, 0]))
        XCTAssertThrowsError(try reshape([-2, -12]))
        // allowzero: 0 is a real zero dim, so it only fits an empty input, and cannot go with -1.
        XCTAssertThrowsError(try reshape([0, 24], allowzero: 1))
        let e = t([0, 3], [])
        let y = try evalOp("Reshape", [e], ["n": .int(3), "shape": .ints([3, 1, 0]), "allowzero": .int(1)])[0]
        XCTAssertEqual(y.shape, [3, 1, 0])
        XCTAssertThrowsError(try evalOp("Reshape", [e], ["n": .int(2), "shape": .ints([0, -1]), "allowzero": .int(1)]))
        // Without allowzero the 0 copies the 0 dim: [0, 3] -> [0, 3].
        XCTAssertEqual(try evalOp("Reshape", [e], ["n": .int(2), "shape": .ints([0, 3])])[0].shape, [0, 3])
    }

    func testFlatten() throws {
        let x = iota([2, 3, 4])
        assertClose(try evalOp("Flatten", [x])[0], iota([2, 12]))
        assertClose(try evalOp("Flatten", [x], ["axis": .int(0)])[0], iota([1, 24]))
        assertClose(try evalOp("Flatten", [x], ["axis": .int(-1)])[0], iota([6, 4]))
        assertClose(try evalOp("Flatten", [x], ["axis": .int(3)])[0], iota([24, 1]))
        assertClose(try evalOp("Flatten", [bools([2], [true, false])], ["axis": .int(1)])[0], bools([2, 1], [true, false]))
    }

    func testSqueezeUnsqueeze() throws {
        let x = iota([1, 3, 1, 2])
        assertClose(try evalOp("Squeeze", [x], ["axes": .ints([0, 2])])[0], iota([3, 2]))
        assertClose(try evalOp("Squeeze", [x], ["axes": .ints([2])])[0], iota([1, 3, 2]))
        XCTAssertThrowsError(try evalOp("Squeeze", [x], ["axes": .ints([1])]))
        let v = ints([3], [7, 8, 9], .i16)
        assertClose(try evalOp("Unsqueeze", [v], ["n": .int(2), "axes": .ints([0, 2])])[0], ints([1, 3, 1], [7, 8, 9], .i16))
        assertClose(try evalOp("Unsqueeze", [v], ["n": .int(1), "axes": .ints([1])])[0], ints([3, 1], [7, 8, 9], .i16))
        assertClose(try evalOp("Unsqueeze", [t([], [2])], ["n": .int(1), "axes": .ints([0])])[0], t([1], [2]))
    }

    func testConcat() throws {
        let a = iota([2, 2]), b = t([1, 2], [10, 11])
        assertClose(try evalOp("Concat", [a, b], ["axis": .int(0)])[0], t([3, 2], [0, 1, 2, 3, 10, 11]))
        let c = t([2, 3], [10, 11, 12, 13, 14, 15])
        assertClose(try evalOp("Concat", [a, c], ["axis": .int(-1)])[0], t([2, 5], [0, 1, 10, 11, 12, 2, 3, 13, 14, 15]))
        // Middle axis of rank 3, bools.
        let p = bools([2, 1, 2], [true, true, false, false]), q = bools([2, 2, 2], [false, true, false, true, true, false, true, false])
        assertClose(try evalOp("Concat", [p, q], ["axis": .int(1)])[0],
                    bools([2, 3, 2], [true, true, false, true, false, true, false, false, true, false, true, false]))
        XCTAssertThrowsError(try evalOp("Concat", [a, t([2, 3], [0, 0, 0, 0, 0, 0])], ["axis": .int(0)]))
    }

    func testExpand() throws {
        // [3, 1] expanded by [2, 1, 4] broadcasts both ways to [2, 3, 4].
        let x = t([3, 1], [1, 2, 3])
        let y = try evalOp("Expand", [x], ["n": .int(3), "shape": .ints([2, 1, 4])])[0]
        assertClose(y, t([2, 3, 4], (0..<24).map { Double(($0 / 4) % 3 + 1) }))
        // A target shape of lower rank keeps X's shape.
        assertClose(try evalOp("Expand", [x], ["n": .int(1), "shape": .ints([1])])[0], x)
        let s = ints([], [5], .u8)
        assertClose(try evalOp("Expand", [s], ["n": .int(2), "shape": .ints([2, 2])])[0], ints([2, 2], [5, 5, 5, 5], .u8))
        XCTAssertThrowsError(try evalOp("Expand", [x], ["n": .int(2), "shape": .ints([2, 1])]))
    }
}
