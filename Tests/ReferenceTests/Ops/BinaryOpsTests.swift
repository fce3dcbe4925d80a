import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }

/// Numpy broadcasting computed independently: expected[i] = f(a[ia], b[ib]).
private func broadcastExpected(_ sa: [Int], _ a: [Double], _ sb: [Int], _ b: [Double], _ f: (Double, Double) -> Double) -> ([Int], [Double]) {
    let n = max(sa.count, sb.count)
    let pa = Array(repeating: 1, count: n - sa.count) + sa, pb = Array(repeating: 1, count: n - sb.count) + sb
    let out = (0..<n).map { max(pa[$0], pb[$0]) }
    var values: [Double] = []
    for flat in 0..<out.reduce(1, *) {
        var rest = flat, ia = 0, ib = 0, strideA = 1, strideB = 1
        for d in (0..<n).reversed() {
            let i = rest % out[d]
            rest /= out[d]
            ia += (pa[d] == 1 ? 0 : i) * strideA
            ib += (pb[d] == 1 ? 0 : i) * strideB
            strideA *= pa[d]
            strideB *= pb[d]
        }
        values.append(f(a[ia], b[ib]))
    }
    return (out, values)
}

/// Element-wise binary ops (Specs/binary).
final class BinaryOpsTests: XCTestCase {
    private func check(_ op: String, _ sa: [Int], _ a: [Double], _ sb: [Int], _ b: [Double], _ dtype: DType = .f64,
                       file: StaticString = #filePath, line: UInt = #line, _ f: (Double, Double) -> Double) throws {
        let (shape, expected) = broadcastExpected(sa, a, sb, b, f)
        let y = try evalOp(op, [t(sa, a, dtype), t(sb, b, dtype)], file: file, line: line)[0]
        assertClose(y, t(shape, expected, dtype), rtol: 1e-12, file: file, line: line)
    }

    private let a23: [Double] = [1, -2, 3.5, 0, 4, -6]

    func testAddBroadcasting() throws {
        try check("Add", [2, 3], a23, [3], [10, 20, 30]) { $0 + $1 }
        try check("Add", [2, 1], [1, 2], [1, 3], [10, 20, 30]) { $0 + $1 }
        try check("Add", [], [5], [2, 2], [1, 2, 3, 4]) { $0 + $1 }
        try check("Add", [2, 1, 3], a23, [4, 1], [0.5, 1, 2, 4]) { $0 + $1 }
        let y = try evalOp("Add", [t([2, 1], [1, 2]), t([3], [10, 20, 30])])[0]
        assertClose(y, t([2, 3], [11, 21, 31, 12, 22, 32]))
    }

    func testSubMulDiv() throws {
        try check("Sub", [2, 3], a23, [2, 1], [1, 2]) { $0 - $1 }
        try check("Mul", [3], [1, 2, 3], [2, 1], [-1, 0.5]) { $0 * $1 }
        try check("Div", [2, 3], a23, [3], [2, -4, 0.5]) { $0 / $1 }
        // f32: 1/3 rounded once to f32.
        assertClose(try evalOp("Div", [t([1], [1]), t([1], [3])])[0], t([1], [1.0 / 3.0]))
    }

    func testIntegerArithmeticWraps() throws {
        assertClose(try evalOp("Add", [ints([2], [100, -100], .i8), ints([2], [100, -100], .i8)])[0], ints([2], [-56, 56], .i8))
        assertClose(try evalOp("Add", [ints([1], [200], .u8), ints([1], [100], .u8)])[0], ints([1], [44], .u8))
        assertClose(try evalOp("Sub", [ints([2], [3, 0], .u8), ints([2], [5, 1], .u8)])[0], ints([2], [254, 255], .u8))
        assertClose(try evalOp("Mul", [ints([1], [300], .i16), ints([1], [300], .i16)])[0], ints([1], [24464], .i16))
        let big = ints([1], [Int64.max], .i64)
        assertClose(try evalOp("Add", [big, ints([1], [1], .i64)])[0], ints([1], [Int64.min], .i64))
        assertClose(try evalOp("Mul", [ints([1], [65536], .u32), ints([1], [65537], .u32)])[0], ints([1], [65536], .u32))
    }

    func testIntegerDivisionTruncates() throws {
        let a = ints([4], [7, -7, 7, -7], .i32), b = ints([4], [2, 2, -2, -2], .i32)
        assertClose(try evalOp("Div", [a, b])[0], ints([4], [3, -3, -3, 3], .i32))
        // Broadcast scalar divisor, unsigned.
        assertClose(try evalOp("Div", [ints([3], [7, 8, 255], .u8), ints([], [2], .u8)])[0], ints([3], [3, 4, 127], .u8))
        // i8: -128 / -1 wraps back to -128.
        assertClose(try evalOp("Div", [ints([1], [-128], .i8), ints([1], [-1], .i8)])[0], ints([1], [-128], .i8))
    }

    func testPow() throws {
        let y = try evalOp("Pow", [t([3], [2, 4, 9]), t([3], [3, 0.5, -0.5])])[0]
        assertClose(y, t([3], [8, 2, 1.0 / 3.0]))
        let (shape, expected) = broadcastExpected([2, 1], [1.5, 2], [3], [0, 1, 2.5]) { pow($0, $1) }
        assertClose(try evalOp("Pow", [t([2, 1], [1.5, 2], .f64), t([3], [0, 1, 2.5], .f64)])[0], t(shape, expected, .f64), rtol: 1e-12)
        // Integer base, integer exponent of another dtype.
        assertClose(try evalOp("Pow", [ints([3], [2, 3, 5], .i32), ints([1], [3], .i64)])[0], ints([3], [8, 27, 125], .i32))
        // Float base with an integer exponent; the exponent type does not change the result type.
        assertClose(try evalOp("Pow", [t([2], [2, 0.5], .f64), ints([2], [10, 3], .u8)])[0], t([2], [1024, 0.125], .f64))
        // Integer base with a float exponent: the real power truncated toward zero.
        assertClose(try evalOp("Pow", [ints([2], [2, 10], .i64), t([2], [0.5, 0.5])])[0], ints([2], [1, 3], .i64))
    }

    func testMaxMin() throws {
        try check("Max", [2, 3], a23, [3], [0, 0, 5]) { max($0, $1) }
        try check("Min", [2, 3], a23, [2, 1], [0, -3]) { min($0, $1) }
        assertClose(try evalOp("Max", [ints([3], [-5, 7, 0], .i8), ints([1], [1], .i8)])[0], ints([3], [1, 7, 1], .i8))
        assertClose(try evalOp("Min", [ints([2], [250, 3], .u8), ints([2], [251, 2], .u8)])[0], ints([2], [250, 2], .u8))
    }

    func testMod() throws {
        let a = ints([4], [5, -5, 5, -5], .i32), b = ints([4], [3, 3, -3, -3], .i32)
        // fmod = 0: the sign of the divisor, as Python's %.
        assertClose(try evalOp("Mod", [a, b])[0], ints([4], [2, 1, -1, -2], .i32))
        // fmod = 1: the sign of the dividend, as C's %.
        assertClose(try evalOp("Mod", [a, b], ["fmod": .int(1)])[0], ints([4], [2, -2, 2, -2], .i32))
        // Exact multiples give 0 either way; broadcasting; unsigned.
        assertClose(try evalOp("Mod", [ints([2, 2], [6, -6, 7, 9], .i64), ints([2], [3, -4], .i64)])[0],
                    ints([2, 2], [0, -2, 1, -3], .i64))
        assertClose(try evalOp("Mod", [ints([3], [10, 11, 255], .u8), ints([1], [4], .u8)])[0], ints([3], [2, 3, 3], .u8))
    }

    func testModFloats() throws {
        // numpy's mod and fmod, written out: r = fmod(a, b); with fmod = 0 a nonzero r of the other
        // sign than b moves by b, and a zero r takes b's sign.
        let a: [Double] = [-4.5, 7.25, 5, 4.5, -7.25, 8, 0, -0.0, -3, 1, 6, 2]
        let b: [Double] = [2, -3, 8, -2, 3, 5, -2, 2, .infinity, -.infinity, 3, -2]
        let fmods = zip(a, b).map { Foundation.fmod($0, $1) }
        let mods = zip(fmods, b).map { r, d -> Double in
            if r == 0 { return d < 0 ? -0.0 : 0.0 }
            return (r < 0) != (d < 0) ? r + d : r
        }
        XCTAssertEqual(Array(mods.prefix(6)), [1.5, -1.75, 5, -1.5, 1.75, 3])
        for dtype in [DType.f64, .f32] {
            let y0 = try evalOp("Mod", [t([12], a, dtype), t([12], b, dtype)])[0]
            let y1 = try evalOp("Mod", [t([12], a, dtype), t([12], b, dtype)], ["fmod": .int(1)])[0]
            assertClose(y0, t([12], mods, dtype))
            assertClose(y1, t([12], fmods, dtype))
            // The zero remainders' signs: 6 mod 3 is +0, 2 mod -2 is -0 (fmod: the dividend's sign, +0).
            XCTAssertEqual(y0.doubles.suffix(2).map { $0.sign }, [.plus, .minus])
            XCTAssertEqual(y1.doubles.suffix(2).map { $0.sign }, [.plus, .plus])
        }
        // f16 rounds once: 7.25 mod -3 = -1.75 exactly.
        assertClose(try evalOp("Mod", [t([1], [7.25], .f16), t([1], [-3], .f16)])[0], t([1], [-1.75], .f16))
    }
}
