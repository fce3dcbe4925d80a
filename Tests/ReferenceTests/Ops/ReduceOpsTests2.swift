import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum and ReduceLogSumExp (Specs/reduce), on values
/// worked by hand.
final class ReduceOpsTests2: XCTestCase {
    // x23 = [[1, -2, 3], [4, 0.5, -6]]
    private let x23 = t([2, 3], [1, -2, 3, 4, 0.5, -6], .f64)

    func testL1L2SumSquare() throws {
        assertClose(try evalOp("ReduceL1", [x23])[0], t([1, 1], [16.5], .f64))
        assertClose(try evalOp("ReduceL1", [x23], ["axes": .ints([1]), "keepdims": .int(0)])[0], t([2], [6, 10.5], .f64))
        // Rows: 1 + 4 + 9 = 14, 16 + 0.25 + 36 = 52.25.
        assertClose(try evalOp("ReduceSumSquare", [x23], ["axes": .ints([1])])[0], t([2, 1], [14, 52.25], .f64))
        assertClose(try evalOp("ReduceL2", [x23], ["axes": .ints([1])])[0], t([2, 1], [sqrt(14.0), sqrt(52.25)], .f64))
        // Columns: 1 + 16, 4 + 0.25, 9 + 36.
        assertClose(try evalOp("ReduceL2", [x23], ["axes": .ints([0]), "keepdims": .int(0)])[0],
                    t([3], [sqrt(17.0), sqrt(4.25), sqrt(45.0)], .f64))
        // Integers: exact sums of |x| and x^2.
        let i = Tensor(dtype: .i32, shape: [2, 2], ints: [-3, 4, 5, -6])
        assertClose(try evalOp("ReduceL1", [i], ["keepdims": .int(0)])[0], Tensor(dtype: .i32, shape: [], ints: [18]))
        assertClose(try evalOp("ReduceSumSquare", [i], ["axes": .ints([0])])[0], Tensor(dtype: .i32, shape: [1, 2], ints: [34, 52]))
    }

    func testLogSumAndLogSumExp() throws {
        let p = t([2, 2], [1, 3, 0.5, 0.25], .f64)
        assertClose(try evalOp("ReduceLogSum", [p], ["axes": .ints([1])])[0], t([2, 1], [log(4.0), log(0.75)], .f64), rtol: 1e-12)
        assertClose(try evalOp("ReduceLogSumExp", [x23], ["axes": .ints([1]), "keepdims": .int(0)])[0],
                    t([2], [log(exp(1.0) + exp(-2.0) + exp(3.0)), log(exp(4.0) + exp(0.5) + exp(-6.0))], .f64), rtol: 1e-12)
        // Large inputs stay finite: log(2 e^1000) = 1000 + log 2.
        assertClose(try evalOp("ReduceLogSumExp", [t([2], [1000, 1000], .f64)], ["keepdims": .int(0)])[0],
                    t([], [1000 + log(2.0)], .f64), rtol: 1e-14)
    }

    func testEmptySetAndNoop() throws {
        // Reducing an axis of size 0: L1, L2, SumSquare give 0; LogSum and LogSumExp give -inf.
        let empty = t([2, 0, 4], [], .f32)
        let axes: [String: AttributeValue] = ["axes": .ints([1])]
        for op in ["ReduceL1", "ReduceL2", "ReduceSumSquare"] {
            assertClose(try evalOp(op, [empty], axes)[0], t([2, 1, 4], Array(repeating: 0, count: 8), .f32))
        }
        for op in ["ReduceLogSum", "ReduceLogSumExp"] {
            assertClose(try evalOp(op, [empty], axes)[0], t([2, 1, 4], Array(repeating: -.infinity, count: 8), .f32))
        }
        // noop_with_empty_axes with no axes: X through the element function only.
        let noop: [String: AttributeValue] = ["noop_with_empty_axes": .int(1)]
        assertClose(try evalOp("ReduceL1", [x23], noop)[0], t([2, 3], [1, 2, 3, 4, 0.5, 6], .f64))
        assertClose(try evalOp("ReduceSumSquare", [x23], noop)[0], t([2, 3], [1, 4, 9, 16, 0.25, 36], .f64))
    }
}
