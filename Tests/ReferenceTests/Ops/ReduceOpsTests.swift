import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }

/// Reduce ops, ArgMax/ArgMin and CumSum (Specs/reduce).
final class ReduceOpsTests: XCTestCase {
    // x23 = [[1, -2, 3], [4, 0.5, -6]]
    private let x23 = t([2, 3], [1, -2, 3, 4, 0.5, -6])

    func testReduceSumAxesAndKeepdims() throws {
        // Default: every axis, kept as size 1.
        assertClose(try evalOp("ReduceSum", [x23])[0], t([1, 1], [0.5]))
        assertClose(try evalOp("ReduceSum", [x23], ["axes": .ints([1])])[0], t([2, 1], [2, -1.5]))
        assertClose(try evalOp("ReduceSum", [x23], ["axes": .ints([0]), "keepdims": .int(0)])[0], t([3], [5, -1.5, -3]))
        assertClose(try evalOp("ReduceSum", [x23], ["keepdims": .int(0)])[0], t([], [0.5]))
        // Middle and outer axes of a rank-3 tensor: x[i, j, k] = 100 i + 10 j + k.
        var v: [Double] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<2 { v.append(Double(100 * i + 10 * j + k)) } } }
        let x = t([2, 3, 2], v, .f64)
        // Sum over i and k: for each j, sum of 100 i + 10 j + k = 2 * 100 + 4 * 10 j + 2.
        let s = try evalOp("ReduceSum", [x], ["axes": .ints([0, 2]), "keepdims": .int(0)])[0]
        assertClose(s, t([3], (0..<3).map { 202 + 40 * Double($0) }, .f64))
        let k = try evalOp("ReduceSum", [x], ["axes": .ints([0, 2])])[0]
        assertClose(k, t([1, 3, 1], (0..<3).map { 202 + 40 * Double($0) }, .f64))
        // Empty axes reduce every axis (ONNX with noop_with_empty_axes = 0, its default).
        assertClose(try evalOp("ReduceSum", [x23], ["axes": .ints([])])[0], t([1, 1], [x23.doubles.reduce(0, +)], x23.dtype))
        // A scalar reduces to itself.
        assertClose(try evalOp("ReduceSum", [t([], [7])])[0], t([], [7]))
    }

    func testReduceSumIntegersWrap() throws {
        let x = ints([3], [Int64(Int32.max), 1, 1], .i32)
        assertClose(try evalOp("ReduceSum", [x], ["keepdims": .int(0)])[0], ints([], [Int64(Int32.min) + 1], .i32))
        let u = ints([2, 2], [1, 2, 3, 4], .u64)
        assertClose(try evalOp("ReduceSum", [u], ["axes": .ints([0])])[0], ints([1, 2], [4, 6], .u64))
    }

    func testReduceMean() throws {
        assertClose(try evalOp("ReduceMean", [x23], ["axes": .ints([1])])[0], t([2, 1], [2.0 / 3.0, -0.5]))
        assertClose(try evalOp("ReduceMean", [x23], ["keepdims": .int(0)])[0], t([], [0.5 / 6]))
        // Integer means truncate toward zero: -5 / 2 = -2, 7 / 2 = 3.
        let i = ints([2, 2], [-7, 2, 3, 4], .i32)
        assertClose(try evalOp("ReduceMean", [i], ["axes": .ints([1]), "keepdims": .int(0)])[0], ints([2], [-2, 3], .i32))
    }

    func testReduceMaxMinProd() throws {
        assertClose(try evalOp("ReduceMax", [x23], ["axes": .ints([1])])[0], t([2, 1], [3, 4]))
        assertClose(try evalOp("ReduceMin", [x23], ["axes": .ints([0]), "keepdims": .int(0)])[0], t([3], [1, -2, -6]))
        assertClose(try evalOp("ReduceProd", [x23], ["axes": .ints([1])])[0], t([2, 1], [-6, -12]))
        assertClose(try evalOp("ReduceProd", [x23], ["keepdims": .int(0)])[0], t([], [72]))
        let i8 = ints([2, 3], [-128, 5, 127, -1, -2, -3], .i8)
        assertClose(try evalOp("ReduceMax", [i8], ["axes": .ints([1]), "keepdims": .int(0)])[0], ints([2], [127, -1], .i8))
        assertClose(try evalOp("ReduceMin", [i8], ["axes": .ints([1]), "keepdims": .int(0)])[0], ints([2], [-128, -3], .i8))
        let u8 = ints([3], [9, 200, 17], .u8)
        assertClose(try evalOp("ReduceMax", [u8], ["keepdims": .int(0)])[0], ints([], [200], .u8))
        // Integer products wrap: 2^16 * 2^16 = 2^32 wraps to 0 in u32.
        let u32 = ints([2], [65536, 65536], .u32)
        assertClose(try evalOp("ReduceProd", [u32])[0], ints([1], [0], .u32))
    }

    func testNoopWithEmptyAxes() throws {
        // Empty axes: every axis is reduced, or none with noop_with_empty_axes (then Y is X).
        let noop: [String: AttributeValue] = ["axes": .ints([]), "noop_with_empty_axes": .int(1)]
        for op in ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd"] {
            assertClose(try evalOp(op, [x23], noop)[0], x23)
            assertClose(try evalOp(op, [x23], ["noop_with_empty_axes": .int(1)])[0], x23)
            assertClose(try evalOp(op, [x23], ["noop_with_empty_axes": .int(1), "keepdims": .int(0)])[0], x23)
        }
        // Without it, empty axes reduce everything; given axes reduce as usual either way.
        assertClose(try evalOp("ReduceSum", [x23], ["axes": .ints([])])[0], t([1, 1], [0.5]))
        assertClose(try evalOp("ReduceSum", [x23], ["axes": .ints([0]), "noop_with_empty_axes": .int(1)])[0], t([1, 3], [5, -1.5, -3]))
    }

    func testReduceMaxMinBool() throws {
        // On bool, max is "any" and min is "all"; over no elements max is false and min is true.
        let b = Tensor(dtype: .bool, shape: [3, 2], scalars: [true, false, false, false, true, true].map { .bool($0) })
        func bools(_ shape: [Int], _ v: [Bool]) -> Tensor { Tensor(dtype: .bool, shape: shape, scalars: v.map { .bool($0) }) }
        assertClose(try evalOp("ReduceMax", [b], ["axes": .ints([1])])[0], bools([3, 1], [true, false, true]))
        assertClose(try evalOp("ReduceMin", [b], ["axes": .ints([1]), "keepdims": .int(0)])[0], bools([3], [false, false, true]))
        assertClose(try evalOp("ReduceMax", [b], ["axes": .ints([0])])[0], bools([1, 2], [true, true]))
        let empty = Tensor(dtype: .bool, shape: [2, 0, 2], scalars: [])
        assertClose(try evalOp("ReduceMax", [empty], ["axes": .ints([1])])[0], bools([2, 1, 2], [false, false, false, false]))
        assertClose(try evalOp("ReduceMin", [empty], ["axes": .ints([1])])[0], bools([2, 1, 2], [true, true, true, true]))
        // Other dtypes over no elements: the lowest / highest value.
        assertClose(try evalOp("ReduceMax", [t([0, 2], [])], ["axes": .ints([0])])[0], t([1, 2], [-.infinity, -.infinity]))
        assertClose(try evalOp("ReduceMax", [Tensor(dtype: .i8, shape: [0], ints: [])])[0], ints([1], [-128], .i8))
        assertClose(try evalOp("ReduceMin", [Tensor(dtype: .u8, shape: [0], ints: [])])[0], ints([1], [255], .u8))
    }

    func testArgMaxArgMin() throws {
        // Ties: first index by default, last with select_last_index.
        let x = t([2, 4], [1, 7, 7, 0, 5, 5, -1, 5])
        assertClose(try evalOp("ArgMax", [x], ["axis": .int(1)])[0], ints([2, 1], [1, 0], .i64))
        assertClose(try evalOp("ArgMax", [x], ["axis": .int(-1), "select_last_index": .int(1)])[0], ints([2, 1], [2, 3], .i64))
        assertClose(try evalOp("ArgMax", [x], ["axis": .int(-1), "keepdims": .int(0)])[0], ints([2], [1, 0], .i64))
        // Default axis 0.
        assertClose(try evalOp("ArgMax", [x])[0], ints([1, 4], [1, 0, 0, 1], .i64))
        assertClose(try evalOp("ArgMin", [x], ["axis": .int(1)])[0], ints([2, 1], [3, 2], .i64))
        assertClose(try evalOp("ArgMin", [x], ["axis": .int(0), "keepdims": .int(0)])[0], ints([4], [0, 1, 1, 0], .i64))
        let y = ints([3], [4, 2, 2], .u16)
        assertClose(try evalOp("ArgMin", [y], ["select_last_index": .int(1)])[0], ints([1], [2], .i64))
        assertClose(try evalOp("ArgMin", [y], ["keepdims": .int(0)])[0], ints([], [1], .i64))
        // Middle axis of a rank-3 tensor.
        let z = t([2, 3, 2], [0, 9, 5, 1, 2, 3, 8, -1, 8, 4, 0, 4])
        assertClose(try evalOp("ArgMax", [z], ["axis": .int(1), "keepdims": .int(0)])[0], ints([2, 2], [1, 0, 0, 1], .i64))
        assertClose(try evalOp("ArgMax", [z], ["axis": .int(-2), "select_last_index": .int(1)])[0], ints([2, 1, 2], [1, 0, 1, 2], .i64))
    }

    func testCumSum() throws {
        let x = t([4], [1, 2, 3, 4])
        assertClose(try evalOp("CumSum", [x], ["axis": .int(0)])[0], t([4], [1, 3, 6, 10]))
        assertClose(try evalOp("CumSum", [x], ["axis": .int(0), "exclusive": .int(1)])[0], t([4], [0, 1, 3, 6]))
        assertClose(try evalOp("CumSum", [x], ["axis": .int(0), "reverse": .int(1)])[0], t([4], [10, 9, 7, 4]))
        assertClose(try evalOp("CumSum", [x], ["axis": .int(-1), "exclusive": .int(1), "reverse": .int(1)])[0], t([4], [9, 7, 4, 0]))
        let m = ints([2, 3], [1, 2, 3, 4, 5, 6], .i32)
        assertClose(try evalOp("CumSum", [m], ["axis": .int(1)])[0], ints([2, 3], [1, 3, 6, 4, 9, 15], .i32))
        assertClose(try evalOp("CumSum", [m], ["axis": .int(-2)])[0], ints([2, 3], [1, 2, 3, 5, 7, 9], .i32))
        // u32 wraps.
        let u = ints([2], [4_294_967_295, 2], .u32)
        assertClose(try evalOp("CumSum", [u], ["axis": .int(0)])[0], ints([2], [4_294_967_295, 1], .u32))
    }
}
