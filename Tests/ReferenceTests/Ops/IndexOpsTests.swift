import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType = .i64) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// GatherElements, GatherND, ScatterElements, ScatterND, OneHot (Specs/index).
final class IndexOpsTests: XCTestCase {
    func testGatherElements() throws {
        // X [3, 3] = 0..8, axis 0: Y[e, k] = X[Idx[e, k], k].
        let x = iota([3, 3])
        let y = try evalOp("GatherElements", [x, ints([2, 3], [1, 2, 0, 2, 0, 0])])[0]
        assertClose(y, t([2, 3], [3, 7, 2, 6, 1, 2]))
        // Negative indices count from the end (-1 is row 2), here as i32.
        let n = try evalOp("GatherElements", [x, ints([2, 3], [-1, -2, 0, -2, 0, 0], .i32)])[0]
        assertClose(n, t([2, 3], [6, 4, 2, 3, 1, 2]))
        // Axis 1 (and -1): Y[i, e] = X[i, Idx[i, e]].
        let m = t([2, 2], [1, 2, 3, 4])
        let idx = ints([2, 2], [0, 0, 1, 0])
        assertClose(try evalOp("GatherElements", [m, idx], ["axis": .int(1)])[0], t([2, 2], [1, 1, 4, 3]))
        assertClose(try evalOp("GatherElements", [m, idx], ["axis": .int(-1)])[0], t([2, 2], [1, 1, 4, 3]))
        XCTAssertThrowsError(try evalOp("GatherElements", [m, ints([1, 1], [2])], ["axis": .int(1)]))
    }

    func testGatherND() throws {
        // The spec declares Idx before X.
        let x = ints([2, 2], [0, 1, 2, 3], .i32)
        // Whole tuples pick elements; one index picks rows.
        assertClose(try evalOp("GatherND", [ints([2, 2], [0, 0, 1, 1]), x])[0], ints([2], [0, 3], .i32))
        assertClose(try evalOp("GatherND", [ints([2, 1], [1, 0]), x])[0], ints([2, 2], [2, 3, 0, 1], .i32))
        // A negative index counts from the end of its axis.
        assertClose(try evalOp("GatherND", [ints([1, 2], [-1, 0]), x])[0], ints([1], [2], .i32))
        // K = 3 into X [2, 2, 2] = 0..7: X[1, 0, 1] = 5.
        assertClose(try evalOp("GatherND", [ints([1, 3], [1, 0, 1]), iota([2, 2, 2])])[0], t([1], [5]))
        // batch_dims 1: batch entry b indexes its own [2, 2] slice: rows 1 of batch 0 and 0 of batch 1.
        let b = try evalOp("GatherND", [ints([2, 1], [1, 0]), iota([2, 2, 2])], ["batch_dims": .int(1)])[0]
        assertClose(b, t([2, 2], [2, 3, 4, 5]))
    }

    func testScatterElements() throws {
        // ONNX's example: zeros [3, 3], axis 0.
        let u = t([2, 3], [1.0, 1.1, 1.2, 2.0, 2.1, 2.2])
        let y = try evalOp("ScatterElements", [t([3, 3], Array(repeating: 0, count: 9)), ints([2, 3], [1, 0, 2, 0, 2, 1]), u])[0]
        assertClose(y, t([3, 3], [2.0, 1.1, 0, 1.0, 0, 2.2, 0, 2.1, 1.2]))
        // Axis 1, a negative index (-3 of 5 is 2).
        let x = t([1, 5], [1, 2, 3, 4, 5])
        let v = t([1, 2], [1.1, 2.1])
        let neg = try evalOp("ScatterElements", [x, ints([1, 2], [1, -3]), v], ["axis": .int(1)])[0]
        assertClose(neg, t([1, 5], [1, 1.1, 2.1, 4, 5]))
        // Both updates hit element 1: each reduction combines X's 2 with 1.1 and 2.1; none keeps the last.
        let dup = ints([1, 2], [1, 1])
        func hit(_ reduction: String) throws -> Tensor {
            try evalOp("ScatterElements", [x, dup, v], ["axis": .int(1), "reduction": .name(reduction)])[0]
        }
        assertClose(try hit("none"), t([1, 5], [1, 2.1, 3, 4, 5]))
        assertClose(try hit("add"), t([1, 5], [1, 2 + 1.1 + 2.1, 3, 4, 5]))
        assertClose(try hit("mul"), t([1, 5], [1, 2 * 1.1 * 2.1, 3, 4, 5]))
        assertClose(try hit("max"), t([1, 5], [1, 2.1, 3, 4, 5]))
        assertClose(try hit("min"), t([1, 5], [1, 1.1, 3, 4, 5]))
    }

    func testScatterND() throws {
        // The spec declares Idx, X, U. ONNX's example: X = 1..8, four single-element updates.
        let x = t([8], [1, 2, 3, 4, 5, 6, 7, 8])
        let y = try evalOp("ScatterND", [ints([4, 1], [4, 3, 1, 7]), x, t([4], [9, 10, 11, 12])])[0]
        assertClose(y, t([8], [1, 11, 3, 10, 9, 6, 7, 12]))
        // A whole row: X [2, 2] zeros, row 1 (written -1) replaced.
        let row = try evalOp("ScatterND", [ints([1, 1], [-1]), t([2, 2], [0, 0, 0, 0]), t([1, 2], [5, 6])])[0]
        assertClose(row, t([2, 2], [0, 0, 5, 6]))
        // Two tuples both at element 0 (X[0] = 2): the reductions, and none keeping the last.
        let base = t([3], [2, 1, 1])
        func hit(_ reduction: String) throws -> Tensor {
            try evalOp("ScatterND", [ints([2, 1], [0, 0]), base, t([2], [3, 7])], ["reduction": .name(reduction)])[0]
        }
        assertClose(try hit("none"), t([3], [7, 1, 1]))
        assertClose(try hit("add"), t([3], [12, 1, 1]))
        assertClose(try hit("mul"), t([3], [42, 1, 1]))
        assertClose(try hit("max"), t([3], [7, 1, 1]))
        assertClose(try hit("min"), t([3], [2, 1, 1]))
        // Element tuples (K = 2) with max: the diagonal of [[1, 2], [3, 4]] against 10 and 0.
        let el = try evalOp("ScatterND", [ints([2, 2], [0, 0, 1, 1]), t([2, 2], [1, 2, 3, 4]), t([2], [10, 0])],
                            ["reduction": .name("max")])[0]
        assertClose(el, t([2, 2], [10, 2, 3, 4]))
    }

    func testOneHot() throws {
        // depth 3, values [off, on] = [0, 1]: -1 is 2, 3 is out of range (all off).
        let idx = ints([3], [1, -1, 3])
        let v = t([2], [0, 1])
        assertClose(try evalOp("OneHot", [idx, v], ["depth": .int(3)])[0], t([3, 3], [0, 1, 0, 0, 0, 1, 0, 0, 0]))
        // axis 0 puts the depth axis first: Y[d, n].
        assertClose(try evalOp("OneHot", [idx, v], ["depth": .int(3), "axis": .int(0)])[0], t([3, 3], [0, 0, 0, 1, 0, 0, 0, 1, 0]))
        // Integer values [2, 5] and float indices.
        let y = try evalOp("OneHot", [t([2], [0, 2]), ints([2], [2, 5], .i32)], ["depth": .int(4)])[0]
        assertClose(y, ints([2, 4], [5, 2, 2, 2, 2, 2, 5, 2], .i32))
        // axis -2 on indices [2, 1]: Y [2, depth, 1].
        let z = try evalOp("OneHot", [ints([2, 1], [0, 1]), v], ["depth": .int(2), "axis": .int(-2)])[0]
        assertClose(z, t([2, 2, 1], [1, 0, 0, 1]))
    }
}
