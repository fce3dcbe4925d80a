import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// QuantizeLinear and DequantizeLinear (Specs/quant): rounding halves to even, saturation, per-axis scales.
final class QuantOpsTests: XCTestCase {
    private func q(_ v: [Int64], _ d: DType, _ shape: [Int]? = nil) -> Tensor { Tensor(dtype: d, shape: shape ?? [v.count], ints: v) }

    func testQuantizeRoundsHalfToEvenAndSaturates() throws {
        // Scale 2: X / 2 = 0.5, 1.5, 2.5, -0.5, -1.5 round to 0, 2, 2, -0, -2; then + 10.
        let x = t([5], [1, 3, 5, -1, -3])
        assertClose(try evalOp("QuantizeLinear", [x, t([], [2]), q([10], .u8, [])])[0], q([10, 12, 12, 10, 8], .u8))
        // Saturation: u8 clamps to [0, 255], i8 to [-128, 127].
        let big = t([4], [-1000, -300, 300, 1000])
        assertClose(try evalOp("QuantizeLinear", [big, t([], [1]), q([0], .u8, [])])[0], q([0, 0, 255, 255], .u8))
        assertClose(try evalOp("QuantizeLinear", [big, t([], [2]), q([-1], .i8, [])])[0], q([-128, -128, 127, 127], .i8))
        // 16-bit: 65535 is in range, 70000 saturates.
        assertClose(try evalOp("QuantizeLinear", [t([2], [65535, 70000]), t([], [1]), q([0], .u16, [])])[0], q([65535, 65535], .u16))
        assertClose(try evalOp("QuantizeLinear", [t([2], [-40000, 0.5]), t([], [1]), q([0], .i16, [])])[0], q([-32768, 0], .i16))
    }

    func testQuantizePerAxis() throws {
        // X [2, 3], axis 1: column scales 1, 2, 4 and zero points 0, 1, 2.
        let x = t([2, 3], [3, 3, 3, -4, 8, 10])
        let y = try evalOp("QuantizeLinear", [x, t([3], [1, 2, 4]), q([0, 1, 2], .i8)], ["axis": .int(1)])[0]
        // 3/1 = 3; 3/2 = 1.5 -> 2, +1 = 3; 3/4 = 0.75 -> 1, +2 = 3; -4; 8/2 = 4, +1 = 5; 10/4 = 2.5 -> 2, +2 = 4.
        assertClose(y, q([3, 3, 3, -4, 5, 4], .i8, [2, 3]))
        // axis 0 (rows), written as -2.
        let r = try evalOp("QuantizeLinear", [x, t([2], [1, 2]), q([0, 0], .u8)], ["axis": .int(-2)])[0]
        assertClose(r, q([3, 3, 3, 0, 4, 5], .u8, [2, 3]))
        // The per-axis scale must match X's size along the axis.
        XCTAssertThrowsError(try evalOp("QuantizeLinear", [x, t([2], [1, 2]), q([0, 0], .u8)], ["axis": .int(1)]))
    }

    func testDequantize() throws {
        // (X - zp) * scale; u8 below its zero point gives a negative value, not a wrapped one.
        let y = try evalOp("DequantizeLinear", [q([0, 128, 255], .u8), t([], [0.5]), q([128], .u8, [])])[0]
        assertClose(y, t([3], [-64, 0, 63.5]))
        let i16 = try evalOp("DequantizeLinear", [q([-32768, 0, 32767], .i16), t([], [2]), q([-1], .i16, [])])[0]
        assertClose(i16, t([3], [-65534, 2, 65536]))
        // Per axis 0 of [2, 2]: row scales 1 and 0.25, zero points 1 and -1.
        let p = try evalOp("DequantizeLinear", [q([1, 2, 3, -5], .i8, [2, 2]), t([2], [1, 0.25]), q([1, -1], .i8)], ["axis": .int(0)])[0]
        assertClose(p, t([2, 2], [0, 1, 1, -1]))
        // Dequantize then quantize with the same scale and zero point gives X back.
        let x = q([0, 3, 77, 200, 255], .u8)
        let d = try evalOp("DequantizeLinear", [x, t([], [0.1]), q([7], .u8, [])])[0]
        assertClose(try evalOp("QuantizeLinear", [d, t([], [0.1]), q([7], .u8, [])])[0], x)
    }

    func testBlockedQuantizeAndDequantize() throws {
        // X [2, 5], axis 1, block_size 2: blocks of columns {0, 1}, {2, 3}, {4}; scales [2, 3] per row and block.
        let x = t([2, 5], [1, 3, 3, 9, 7, -2, 4, 6, 1, -1])
        let scale = t([2, 3], [1, 2, 4, 2, 1, 0.5])
        let zp = q([0, 1, 2, -1, 0, 3], .i8, [2, 3])
        let y = try evalOp("QuantizeLinearBlocked", [x, scale, zp], ["axis": .int(1), "block_size": .int(2)])[0]
        // Row 0: 1/1 = 1, 3/1 = 3; 3/2 = 1.5 -> 2, +1 = 3, 9/2 = 4.5 -> 4, +1 = 5; 7/4 = 1.75 -> 2, +2 = 4.
        // Row 1: -2/2 = -1, -1 = -2; 4/2 = 2, -1 = 1; 6/1 = 6, 1/1 = 1; -1/0.5 = -2, +3 = 1.
        assertClose(y, q([1, 3, 3, 5, 4, -2, 1, 6, 1, 1], .i8, [2, 5]))
        let d = try evalOp("DequantizeLinearBlocked", [y, scale, zp], ["axis": .int(-1), "block_size": .int(2)])[0]
        // (y - zp) * scale: row 0: 1, 3, 4, 8, 8; row 1: -2, 4, 6, 1, -1.
        assertClose(d, t([2, 5], [1, 3, 4, 8, 8, -2, 4, 6, 1, -1]))
        // The scale must have ceil(5 / 2) = 3 blocks along the axis.
        XCTAssertThrowsError(try evalOp("DequantizeLinearBlocked", [y, t([2, 2], [1, 1, 1, 1]), q([0, 0, 0, 0], .i8, [2, 2])],
                                        ["axis": .int(1), "block_size": .int(2)]))
    }
}
