import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
private func bools(_ shape: [Int], _ v: [Bool]) -> Tensor { Tensor(dtype: .bool, shape: shape, scalars: v.map { .bool($0) }) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// Slice, Pad, Gather and Trilu (Specs/layout).
final class LayoutOpsTests2: XCTestCase {
    private func slice(_ x: Tensor, _ starts: [Int], _ ends: [Int], _ steps: [Int]? = nil) throws -> Tensor {
        var attrs: [String: AttributeValue] = ["n": .int(starts.count), "starts": .ints(starts), "ends": .ints(ends)]
        if let s = steps { attrs["steps"] = .ints(s) }
        return try evalOp("Slice", [x], attrs)[0]
    }

    func testSlice1d() throws {
        let x = iota([10])
        assertClose(try slice(x, [1], [8], [3]), t([3], [1, 4, 7]))
        // Negative start counts from the end; a large end clamps to the dim.
        assertClose(try slice(x, [-3], [100]), t([3], [7, 8, 9]))
        // Negative step: start -1 is 9, end -100 clamps to -1 (before the first element).
        assertClose(try slice(x, [-1], [-100], [-2]), t([5], [9, 7, 5, 3, 1]))
        // A start beyond the end with a negative step clamps to dim - 1; end 0 is exclusive.
        assertClose(try slice(x, [100], [0], [-1]), t([9], [9, 8, 7, 6, 5, 4, 3, 2, 1]))
        // Empty result.
        assertClose(try slice(x, [5], [2]), t([0], []))
        XCTAssertThrowsError(try slice(x, [0], [5], [0]))
    }

    func testSlice2d() throws {
        // Rows 0 and 2, columns 3, 2, 1 of a 3x4 iota.
        assertClose(try slice(iota([3, 4]), [0, -1], [3, 0], [2, -1]), t([2, 3], [3, 2, 1, 11, 10, 9]))
        let b = bools([2, 2], [true, false, false, true])
        assertClose(try slice(b, [1, 0], [2, 2]), bools([1, 2], [false, true]))
    }

    func testSliceAxes() throws {
        let x = iota([3, 4, 5])
        func slice(_ axes: [Int]?, _ starts: [Int], _ ends: [Int], _ steps: [Int]? = nil) throws -> Tensor {
            var attrs: [String: AttributeValue] = ["n": .int(starts.count), "starts": .ints(starts), "ends": .ints(ends)]
            if let a = axes { attrs["axes"] = .ints(a) }
            if let s = steps { attrs["steps"] = .ints(s) }
            return try evalOp("Slice", [x], attrs)[0]
        }
        /// The elements x[i, j, k] for the given ranges, from a naive loop.
        func expected(_ i: [Int], _ j: [Int], _ k: [Int]) -> Tensor {
            var v: [Double] = []
            for a in i { for b in j { for c in k { v.append(Double(a * 20 + b * 5 + c)) } } }
            return t([i.count, j.count, k.count], v)
        }
        // Only axis 1: columns 1..<3; the other axes stay whole.
        assertClose(try slice([1], [1], [3]), expected([0, 1, 2], [1, 2], [0, 1, 2, 3, 4]))
        // Negative axes, in any order: axis -1 (k) from 4 down by 2, axis 0 (i) from 1.
        assertClose(try slice([-1, 0], [4, 1], [-100, 3], [-2, 1]), expected([1, 2], [0, 1, 2, 3], [4, 2, 0]))
        // Without axes, the n given ranges apply to the first n axes.
        assertClose(try slice(nil, [1, 1], [2, 3]), expected([1], [1, 2], [0, 1, 2, 3, 4]))
        // The same axis twice, and an axis out of range, are invalid.
        XCTAssertThrowsError(try slice([1, -2], [0, 0], [1, 1]))
        XCTAssertThrowsError(try slice([3], [0], [1]))
    }

    func testPadModes1d() throws {
        let x = t([3], [1, 2, 3])
        let pads: AttributeValue = .ints([2, 1])
        assertClose(try evalOp("Pad", [x], ["pads": pads])[0], t([6], [0, 0, 1, 2, 3, 0]))
        assertClose(try evalOp("Pad", [x], ["pads": pads, "constant_value": .real(9.5)])[0], t([6], [9.5, 9.5, 1, 2, 3, 9.5]))
        assertClose(try evalOp("Pad", [x], ["pads": pads, "mode": .name("reflect")])[0], t([6], [3, 2, 1, 2, 3, 2]))
        assertClose(try evalOp("Pad", [x], ["pads": pads, "mode": .name("edge")])[0], t([6], [1, 1, 1, 2, 3, 3]))
        // Reflect needs pads smaller than the dim.
        XCTAssertThrowsError(try evalOp("Pad", [x], ["pads": .ints([3, 0]), "mode": .name("reflect")]))
        // Negative pads crop.
        assertClose(try evalOp("Pad", [t([4], [1, 2, 3, 4])], ["pads": .ints([-1, 1])])[0], t([4], [2, 3, 4, 0]))
    }

    func testPadModes2d() throws {
        // [[0, 1, 2], [3, 4, 5]], one row before, two columns after.
        let x = iota([2, 3]), pads: AttributeValue = .ints([1, 0, 0, 2])
        assertClose(try evalOp("Pad", [x], ["pads": pads])[0],
                    t([3, 5], [0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 5, 0, 0]))
        assertClose(try evalOp("Pad", [x], ["pads": pads, "mode": .name("reflect")])[0],
                    t([3, 5], [3, 4, 5, 4, 3, 0, 1, 2, 1, 0, 3, 4, 5, 4, 3]))
        assertClose(try evalOp("Pad", [x], ["pads": pads, "mode": .name("edge")])[0],
                    t([3, 5], [0, 1, 2, 2, 2, 0, 1, 2, 2, 2, 3, 4, 5, 5, 5]))
    }

    func testPadAxesAndWrap() throws {
        let x = iota([2, 3])   // [[0, 1, 2], [3, 4, 5]]
        // Only axis -1 (columns): one before, two after; pads are [begins..., ends...] over the axes.
        assertClose(try evalOp("Pad", [x], ["n": .int(1), "axes": .ints([-1]), "pads": .ints([1, 2])])[0],
                    t([2, 6], [0, 0, 1, 2, 0, 0, 0, 3, 4, 5, 0, 0]))
        // Axes [1, 0]: pads [1 before axis 1, 0 before axis 0, 0 after axis 1, 1 after axis 0], reflected.
        assertClose(try evalOp("Pad", [x], ["n": .int(2), "axes": .ints([1, 0]), "pads": .ints([1, 0, 0, 1]), "mode": .name("reflect")])[0],
                    t([3, 4], [1, 0, 1, 2, 4, 3, 4, 5, 1, 0, 1, 2]))
        // Wrap takes the other end of the axis, also when the pads exceed the dim.
        assertClose(try evalOp("Pad", [t([3], [0, 1, 2])], ["pads": .ints([2, 4]), "mode": .name("wrap")])[0],
                    t([9], [1, 2, 0, 1, 2, 0, 1, 2, 0]))
        assertClose(try evalOp("Pad", [x], ["pads": .ints([1, 1, 0, 0]), "mode": .name("wrap")])[0],
                    t([3, 4], [5, 3, 4, 5, 2, 0, 1, 2, 5, 3, 4, 5]))
        // Wrap does not crop; an axis named twice is invalid.
        XCTAssertThrowsError(try evalOp("Pad", [t([3], [0, 1, 2])], ["pads": .ints([-1, 1]), "mode": .name("wrap")]))
        XCTAssertThrowsError(try evalOp("Pad", [x], ["n": .int(2), "axes": .ints([0, -2]), "pads": .ints([1, 1, 1, 1])]))
    }

    func testPadSizeOneDimsAndOtherDtypes() throws {
        // A size-1 axis padded with a constant must not broadcast its one element.
        let y = try evalOp("Pad", [t([1, 2], [7, 8])], ["pads": .ints([1, 0, 1, 0]), "constant_value": .real(-1)])[0]
        assertClose(y, t([3, 2], [-1, -1, 7, 8, -1, -1]))
        assertClose(try evalOp("Pad", [t([1], [4])], ["pads": .ints([0, 2]), "mode": .name("edge")])[0], t([3], [4, 4, 4]))
        // The constant is converted to the dtype: -1.5 -> -1 for i32, 1 -> true for bool.
        assertClose(try evalOp("Pad", [ints([2], [5, 6], .i32)], ["pads": .ints([1, 1]), "constant_value": .real(-1.5)])[0],
                    ints([4], [-1, 5, 6, -1], .i32))
        assertClose(try evalOp("Pad", [bools([1], [false])], ["pads": .ints([1, 0]), "constant_value": .real(1)])[0],
                    bools([2], [true, false]))
    }

    func testGather() throws {
        let x = t([3, 2], [1, 2, 3, 4, 5, 6])
        // Negative indices count from the end: -3 is row 0.
        assertClose(try evalOp("Gather", [x, ints([2], [2, -3], .i64)])[0], t([2, 2], [5, 6, 1, 2]))
        // A scalar index drops the axis.
        assertClose(try evalOp("Gather", [x, ints([], [1], .i32)])[0], t([2], [3, 4]))
        // axis 1 with 2-D indices: Y[i, j0, j1] = X[i, idx[j0, j1]].
        let m = iota([2, 3]), idx = ints([2, 2], [0, 2, -1, 1], .i32)
        for axis in [1, -1] {
            assertClose(try evalOp("Gather", [m, idx], ["axis": .int(axis)])[0], t([2, 2, 2], [0, 2, 2, 1, 3, 5, 5, 4]))
        }
        // Out-of-range indices are an error.
        XCTAssertThrowsError(try evalOp("Gather", [x, ints([1], [3], .i64)]))
    }

    func testTrilu() throws {
        let x = iota([3, 3])
        assertClose(try evalOp("Trilu", [x])[0], t([3, 3], [0, 1, 2, 0, 4, 5, 0, 0, 8]))
        assertClose(try evalOp("Trilu", [x], ["upper": .int(0)])[0], t([3, 3], [0, 0, 0, 3, 4, 0, 6, 7, 8]))
        assertClose(try evalOp("Trilu", [x], ["k": .int(1)])[0], t([3, 3], [0, 1, 2, 0, 0, 5, 0, 0, 0]))
        assertClose(try evalOp("Trilu", [x], ["upper": .int(0), "k": .int(-1)])[0], t([3, 3], [0, 0, 0, 3, 0, 0, 6, 7, 0]))
        // Batched, non-square: keep j - i >= -1.
        let b = iota([2, 3, 4])
        let expected = (0..<24).map { k -> Double in
            let i = (k / 4) % 3, j = k % 4
            return j - i >= -1 ? Double(k) : 0
        }
        assertClose(try evalOp("Trilu", [b], ["k": .int(-1)])[0], t([2, 3, 4], expected))
        let bo = bools([2, 2], [true, true, true, true])
        assertClose(try evalOp("Trilu", [bo], ["upper": .int(0)])[0], bools([2, 2], [true, false, true, true]))
    }
}
