import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// Naive 2-D pooling over NCHW: padded positions are skipped; the average divides by the
/// in-bounds count, or by the kernel size when `includePad`.
private func pool2dReference(_ x: [Double], _ xs: [Int], kernel: [Int], strides: [Int], dilations: [Int] = [1, 1],
                             pads: [Int], isMax: Bool, includePad: Bool = false) -> ([Int], [Double]) {
    let (n, c, ih, iw) = (xs[0], xs[1], xs[2], xs[3])
    let oh = (ih + pads[0] + pads[2] - dilations[0] * (kernel[0] - 1) - 1) / strides[0] + 1
    let ow = (iw + pads[1] + pads[3] - dilations[1] * (kernel[1] - 1) - 1) / strides[1] + 1
    var out: [Double] = []
    for plane in 0..<(n * c) {
        for y in 0..<oh {
            for xx in 0..<ow {
                var seen: [Double] = []
                for r in 0..<kernel[0] {
                    for s in 0..<kernel[1] {
                        let iy = y * strides[0] + r * dilations[0] - pads[0], ix = xx * strides[1] + s * dilations[1] - pads[1]
                        if iy >= 0 && iy < ih && ix >= 0 && ix < iw { seen.append(x[(plane * ih + iy) * iw + ix]) }
                    }
                }
                if isMax {
                    out.append(seen.max()!)
                } else {
                    out.append(seen.reduce(0, +) / Double(includePad ? kernel[0] * kernel[1] : seen.count))
                }
            }
        }
    }
    return ([n, c, oh, ow], out)
}

/// MaxPool1d/2d and AveragePool1d/2d (Specs/pool).
final class PoolOpsTests: XCTestCase {
    func testMaxPool2dByHand() throws {
        let x = t([1, 1, 4, 4], (1...16).map(Double.init))
        let y = try evalOp("MaxPool2d", [x], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])[0]
        assertClose(y, t([1, 1, 2, 2], [6, 8, 14, 16]))
    }

    func testMaxPool2dAgainstReference() throws {
        let cases: [(xs: [Int], k: [Int], s: [Int], d: [Int], p: [Int])] = [
            ([1, 2, 5, 5], [3, 3], [1, 1], [1, 1], [1, 1, 1, 1]),
            ([2, 1, 6, 7], [2, 3], [2, 1], [2, 1], [1, 0, 0, 2]),
            ([1, 3, 7, 6], [3, 2], [3, 2], [2, 2], [2, 1, 1, 0]),
        ]
        for cs in cases {
            let x = values(cs.xs.reduce(1, *), 4)
            let (shape, expected) = pool2dReference(x, cs.xs, kernel: cs.k, strides: cs.s, dilations: cs.d, pads: cs.p, isMax: true)
            let attrs: [String: AttributeValue] = ["kernel_shape": .ints(cs.k), "strides": .ints(cs.s), "dilations": .ints(cs.d), "pads": .ints(cs.p)]
            assertClose(try evalOp("MaxPool2d", [t(cs.xs, x, .f64)], attrs)[0], t(shape, expected, .f64))
        }
    }

    func testMaxPool1dPaddingNeverWins() throws {
        // All values negative: the zero padding must not be picked.
        let x = Tensor(dtype: .i8, shape: [1, 1, 3], ints: [-5, -7, -6])
        let y = try evalOp("MaxPool1d", [x], ["kernel_shape": .ints([2]), "pads": .ints([1, 1])])[0]
        assertClose(y, Tensor(dtype: .i8, shape: [1, 1, 4], ints: [-5, -5, -6, -6]))
        let u = Tensor(dtype: .u8, shape: [1, 1, 3], ints: [3, 250, 7])
        assertClose(try evalOp("MaxPool1d", [u], ["kernel_shape": .ints([2])])[0], Tensor(dtype: .u8, shape: [1, 1, 2], ints: [250, 250]))
        // Dilation 2, stride 2 on f32: windows {0, 2}, {2, 4}.
        let f = t([1, 1, 5], [1, 9, 3, -9, 2])
        let z = try evalOp("MaxPool1d", [f], ["kernel_shape": .ints([2]), "dilations": .ints([2]), "strides": .ints([2])])[0]
        assertClose(z, t([1, 1, 2], [3, 3]))
    }

    func testAveragePool2dByHand() throws {
        // 3x3 input, 2x2 kernel, stride 2, one pad on every side: windows start at -1 and 1.
        let x = t([1, 1, 3, 3], (1...9).map(Double.init))
        var attrs: [String: AttributeValue] = ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]
        assertClose(try evalOp("AveragePool2d", [x], attrs)[0], t([1, 1, 2, 2], [1, 2.5, 5.5, 7]))
        attrs["count_include_pad"] = .int(1)
        assertClose(try evalOp("AveragePool2d", [x], attrs)[0], t([1, 1, 2, 2], [0.25, 1.25, 2.75, 7]))
    }

    func testAveragePool2dAgainstReference() throws {
        let cases: [(xs: [Int], k: [Int], s: [Int], p: [Int])] = [
            ([1, 2, 5, 5], [3, 3], [1, 1], [1, 1, 1, 1]),
            ([2, 1, 6, 7], [2, 3], [2, 1], [1, 0, 0, 2]),
            ([1, 3, 4, 6], [3, 2], [3, 2], [2, 1, 1, 0]),
        ]
        for cs in cases {
            for include in [false, true] {
                let x = values(cs.xs.reduce(1, *), 6)
                let (shape, expected) = pool2dReference(x, cs.xs, kernel: cs.k, strides: cs.s, pads: cs.p, isMax: false, includePad: include)
                let attrs: [String: AttributeValue] = ["kernel_shape": .ints(cs.k), "strides": .ints(cs.s), "pads": .ints(cs.p),
                                                       "count_include_pad": .int(include ? 1 : 0)]
                assertClose(try evalOp("AveragePool2d", [t(cs.xs, x, .f64)], attrs)[0], t(shape, expected, .f64), rtol: 1e-12)
            }
        }
    }

    func testAveragePool1d() throws {
        let x = t([1, 1, 4], [1, 2, 3, 4])
        var attrs: [String: AttributeValue] = ["kernel_shape": .ints([3]), "pads": .ints([1, 1])]
        assertClose(try evalOp("AveragePool1d", [x], attrs)[0], t([1, 1, 4], [1.5, 2, 3, 3.5]))
        attrs["count_include_pad"] = .int(1)
        assertClose(try evalOp("AveragePool1d", [x], attrs)[0], t([1, 1, 4], [1, 2, 3, 7.0 / 3.0]))
        // f16 output: 1/3 rounds once.
        let h = try evalOp("AveragePool1d", [t([1, 1, 3], [1, 0, 0], .f16)], ["kernel_shape": .ints([3])])[0]
        XCTAssertEqual(h.doubles, [0.333251953125])
    }

    func testPoolsRejectPadsAsLargeAsTheKernel() throws {
        let x = t([1, 1, 4, 4], values(16))
        XCTAssertThrowsError(try evalOp("MaxPool2d", [x], ["kernel_shape": .ints([2, 2]), "pads": .ints([2, 0, 0, 0])]))
        XCTAssertThrowsError(try evalOp("AveragePool2d", [x], ["kernel_shape": .ints([2, 2]), "pads": .ints([0, 0, 0, 2])]))
    }
}
