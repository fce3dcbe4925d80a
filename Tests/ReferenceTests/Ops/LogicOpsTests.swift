import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func bools(_ shape: [Int], _ v: [Bool]) -> Tensor { Tensor(dtype: .bool, shape: shape, scalars: v.map { .bool($0) }) }
private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }

/// Comparisons, boolean logic and Where (Specs/logic).
final class LogicOpsTests: XCTestCase {
    func testComparisonsBroadcast() throws {
        // a is [2, 3], b is [3]: every row of a against b.
        let a = t([2, 3], [1, 2, 3, 3, 2, 1]), b = t([3], [2, 2, 2])
        assertClose(try evalOp("Equal", [a, b])[0], bools([2, 3], [false, true, false, false, true, false]))
        assertClose(try evalOp("Greater", [a, b])[0], bools([2, 3], [false, false, true, true, false, false]))
        assertClose(try evalOp("Less", [a, b])[0], bools([2, 3], [true, false, false, false, false, true]))
        assertClose(try evalOp("GreaterOrEqual", [a, b])[0], bools([2, 3], [false, true, true, true, true, false]))
        assertClose(try evalOp("LessOrEqual", [a, b])[0], bools([2, 3], [true, true, false, false, true, true]))
        // [2, 1] against [1, 2].
        let c = t([2, 1], [0, 5]), d = t([1, 2], [0, 5])
        assertClose(try evalOp("Equal", [c, d])[0], bools([2, 2], [true, false, false, true]))
        assertClose(try evalOp("Less", [c, d])[0], bools([2, 2], [false, true, false, false]))
    }

    func testComparisonsOfIntegersAndBools() throws {
        // Unsigned values above the signed range compare as unsigned.
        let u = ints([3], [200, 5, 255], .u8), v = ints([1], [100], .u8)
        assertClose(try evalOp("Greater", [u, v])[0], bools([3], [true, false, true]))
        let i = ints([3], [-1, 0, 1], .i64), j = ints([], [0], .i64)
        assertClose(try evalOp("LessOrEqual", [i, j])[0], bools([3], [true, true, false]))
        assertClose(try evalOp("Equal", [bools([2], [true, false]), bools([2], [true, true])])[0], bools([2], [true, false]))
        // NaN equals nothing.
        assertClose(try evalOp("Equal", [t([2], [.nan, 1]), t([2], [.nan, 1])])[0], bools([2], [false, true]))
    }

    func testBooleanLogic() throws {
        // Truth tables through broadcasting: a is [2, 1], b is [2].
        let a = bools([2, 1], [false, true]), b = bools([2], [false, true])
        assertClose(try evalOp("And", [a, b])[0], bools([2, 2], [false, false, false, true]))
        assertClose(try evalOp("Or", [a, b])[0], bools([2, 2], [false, true, true, true]))
        assertClose(try evalOp("Xor", [a, b])[0], bools([2, 2], [false, true, true, false]))
        assertClose(try evalOp("Not", [bools([3], [true, false, true])])[0], bools([3], [false, true, false]))
        assertClose(try evalOp("Not", [bools([], [false])])[0], bools([], [true]))
    }

    func testWhereBroadcastsAllThree() throws {
        // cond [2, 1], x [3], y scalar -> [2, 3].
        let cond = bools([2, 1], [true, false])
        let y = try evalOp("Where", [cond, t([3], [1, 2, 3]), t([], [-1])])[0]
        assertClose(y, t([2, 3], [1, 2, 3, -1, -1, -1]))
        // cond [3], x [2, 1], y [1, 3] of i32.
        let c2 = bools([3], [true, false, true])
        let z = try evalOp("Where", [c2, ints([2, 1], [10, 20], .i32), ints([1, 3], [7, 8, 9], .i32)])[0]
        assertClose(z, ints([2, 3], [10, 8, 10, 20, 8, 20], .i32))
        // bool values.
        let w = try evalOp("Where", [bools([2], [false, true]), bools([2], [true, true]), bools([2], [false, false])])[0]
        assertClose(w, bools([2], [false, true]))
    }
}
