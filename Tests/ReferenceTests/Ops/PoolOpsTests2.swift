import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 5 + seed) % 13 - 6).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 5 + seed) % 13 - 6) } }

/// The Lp norm of `v`.
private func lpNorm(_ v: [Double], _ p: Int) -> Double {
    pow(v.map { pow(abs($0), Double(p)) }.reduce(0, +), 1 / Double(p))
}

/// GlobalAveragePool, GlobalMaxPool, GlobalLpPool and LpPool (Specs/pool).
final class PoolOpsTests2: XCTestCase {
    func testGlobalPoolsByHand() throws {
        // X [1, 2, 2, 2]: plane 0 = 1, 2, 3, 4; plane 1 = -1, 5, 0, -6.
        let x = t([1, 2, 2, 2], [1, 2, 3, 4, -1, 5, 0, -6], .f64)
        assertClose(try evalOp("GlobalAveragePool", [x])[0], t([1, 2, 1, 1], [2.5, -0.5], .f64))
        assertClose(try evalOp("GlobalMaxPool", [x])[0], t([1, 2, 1, 1], [4, 5], .f64))
        assertClose(try evalOp("GlobalLpPool", [x])[0], t([1, 2, 1, 1], [sqrt(30.0), sqrt(62.0)], .f64))
        assertClose(try evalOp("GlobalLpPool", [x], ["p": .int(1)])[0], t([1, 2, 1, 1], [10, 12], .f64))
    }

    func testGlobalPoolsOneAndThreeSpatialAxes() throws {
        for shape in [[2, 3, 5], [1, 2, 2, 3, 2]] {
            let n = shape.reduce(1, *), plane = shape[2...].reduce(1, *), x = values(n, 3)
            let planes = stride(from: 0, to: n, by: plane).map { Array(x[$0..<($0 + plane)]) }
            let out = [shape[0], shape[1]] + Array(repeating: 1, count: shape.count - 2)
            assertClose(try evalOp("GlobalAveragePool", [t(shape, x, .f64)])[0],
                        t(out, planes.map { $0.reduce(0, +) / Double(plane) }, .f64), rtol: 1e-12)
            assertClose(try evalOp("GlobalMaxPool", [t(shape, x, .f64)])[0], t(out, planes.map { $0.max()! }, .f64))
            assertClose(try evalOp("GlobalLpPool", [t(shape, x, .f64)], ["p": .int(3)])[0],
                        t(out, planes.map { lpNorm($0, 3) }, .f64), rtol: 1e-12)
        }
    }

    func testLpPool2dByHand() throws {
        // 3x3 input, 2x2 windows, stride 1, p = 2: sqrt of the window's sum of squares.
        let x = t([1, 1, 3, 3], [1, -2, 3, 0, 1, -1, 2, 2, 0], .f64)
        let y = try evalOp("LpPool", [x], ["kernel_shape": .ints([2, 2])])[0]
        assertClose(y, t([1, 1, 2, 2], [sqrt(6.0), sqrt(15.0), sqrt(9.0), sqrt(6.0)], .f64))
        // p = 1 with one row and column of padding on each side and stride 2: the padding adds 0.
        let z = try evalOp("LpPool", [x], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
                                           "p": .int(1)])[0]
        assertClose(z, t([1, 1, 2, 2], [1, 5, 2, 4], .f64))
    }

    func testLpPool1dStridesAndDilations() throws {
        // x = [x0..x6], kernel 2, dilation 2, stride 2: windows {0, 2}, {2, 4}, {4, 6}.
        let x = values(7, 1)
        let y = try evalOp("LpPool", [t([1, 1, 7], x, .f64)], ["kernel_shape": .ints([2]), "dilations": .ints([2]),
                                                                 "strides": .ints([2]), "p": .int(3)])[0]
        let expected = [0, 2, 4].map { lpNorm([x[$0], x[$0 + 2]], 3) }
        assertClose(y, t([1, 1, 3], expected, .f64), rtol: 1e-12)
        // ceil_mode: 6 elements, kernel 3, stride 2: windows from 0 and 2, and a last partial one from 4.
        let c = try evalOp("LpPool", [t([1, 1, 6], Array(x[..<6]), .f64)], ["kernel_shape": .ints([3]), "strides": .ints([2]),
                                                                              "ceil_mode": .int(1)])[0]
        assertClose(c, t([1, 1, 3], [lpNorm(Array(x[0..<3]), 2), lpNorm(Array(x[2..<5]), 2), lpNorm(Array(x[4..<6]), 2)], .f64),
                    rtol: 1e-12)
    }
}
