import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// A naive grouped 2-D convolution (NCHW, weights [K, C / group, KH, KW], pads [top, left, bottom, right]).
private func conv2dReference(_ x: [Double], _ xs: [Int], _ w: [Double], _ ws: [Int], _ b: [Double],
                             strides: [Int] = [1, 1], dilations: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
                             group: Int = 1) -> ([Int], [Double]) {
    let (n, c, ih, iw) = (xs[0], xs[1], xs[2], xs[3])
    let (k, cg, kh, kw) = (ws[0], ws[1], ws[2], ws[3])
    let oh = (ih + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] + 1
    let ow = (iw + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] + 1
    var out: [Double] = []
    for img in 0..<n {
        for f in 0..<k {
            let g = f / (k / group)
            for y in 0..<oh {
                for xx in 0..<ow {
                    var acc = b[f]
                    for ci in 0..<cg {
                        for r in 0..<kh {
                            for s in 0..<kw {
                                let iy = y * strides[0] + r * dilations[0] - pads[0]
                                let ix = xx * strides[1] + s * dilations[1] - pads[1]
                                guard iy >= 0, iy < ih, ix >= 0, ix < iw else { continue }
                                let channel = g * cg + ci
                                acc += x[((img * c + channel) * ih + iy) * iw + ix] * w[((f * cg + ci) * kh + r) * kw + s]
                            }
                        }
                    }
                    out.append(acc)
                }
            }
        }
    }
    return ([n, k, oh, ow], out)
}

/// Conv1d and Conv2d (Specs/conv), both ONNX Conv.
final class ConvOpsTests: XCTestCase {
    private func checkConv2d(x xs: [Int], w ws: [Int], _ attrs: [String: AttributeValue] = [:], strides: [Int] = [1, 1],
                             dilations: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0], group: Int = 1,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let x = values(xs.reduce(1, *), 1), w = values(ws.reduce(1, *), 3), b = values(ws[0], 8)
        let (shape, expected) = conv2dReference(x, xs, w, ws, b, strides: strides, dilations: dilations, pads: pads, group: group)
        let attrs: [String: AttributeValue] = ["strides": .ints(strides), "dilations": .ints(dilations), "pads": .ints(pads), "group": .int(group)]
        let y = try evalOp("Conv2d", [t(xs, x, .f64), t(ws, w, .f64), t([ws[0]], b, .f64)], attrs, file: file, line: line)[0]
        assertClose(y, t(shape, expected, .f64), rtol: 1e-12, file: file, line: line)
    }

    func testConv1dByHand() throws {
        let x = t([1, 1, 4], [1, 2, 3, 4]), w = t([1, 1, 2], [1, 2]), b = t([1], [0.5])
        assertClose(try evalOp("Conv1d", [x, w, b])[0], t([1, 1, 3], [5.5, 8.5, 11.5]))
        // pads [1, 2], stride 2: the padded row is 0 1 2 3 4 0 0; windows start at 0, 2, 4.
        let y = try evalOp("Conv1d", [x, w, b], ["pads": .ints([1, 2]), "strides": .ints([2])])[0]
        assertClose(y, t([1, 1, 3], [2.5, 8.5, 4.5]))
        // dilation 2: X[i] + 2 X[i + 2].
        let z = try evalOp("Conv1d", [x, w, b], ["dilations": .ints([2])])[0]
        assertClose(z, t([1, 1, 2], [1 + 6 + 0.5, 2 + 8 + 0.5]))
    }

    func testConv1dAgainstReference() throws {
        // 1-D as 2-D with height 1: X [2, 4, 7], W [6, 2, 3], group 2, stride 2, dilation 2, pads [2, 1].
        let x = values(2 * 4 * 7, 2), w = values(6 * 2 * 3, 5), b = values(6, 9)
        let (shape, expected) = conv2dReference(x, [2, 4, 1, 7], w, [6, 2, 1, 3], b, strides: [1, 2], dilations: [1, 2],
                                                pads: [0, 2, 0, 1], group: 2)
        let attrs: [String: AttributeValue] = ["strides": .ints([2]), "dilations": .ints([2]), "pads": .ints([2, 1]), "group": .int(2)]
        let y = try evalOp("Conv1d", [t([2, 4, 7], x, .f64), t([6, 2, 3], w, .f64), t([6], b, .f64)], attrs)[0]
        assertClose(y, t([shape[0], shape[1], shape[3]], expected, .f64), rtol: 1e-12)
    }

    func testConv2dByHand() throws {
        // A 3x3 input, 2x2 all-ones kernel, bias 1: each output is the window sum + 1.
        let x = t([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), w = t([1, 1, 2, 2], [1, 1, 1, 1]), b = t([1], [1])
        assertClose(try evalOp("Conv2d", [x, w, b])[0], t([1, 1, 2, 2], [13, 17, 25, 29]))
        // pads [1, 1, 0, 0]: the top-left window sees only X[0, 0].
        let y = try evalOp("Conv2d", [x, w, b], ["pads": .ints([1, 1, 0, 0])])[0]
        assertClose(y, t([1, 1, 3, 3], [2, 4, 6, 6, 13, 17, 12, 25, 29]))
    }

    func testConv2dBasic() throws {
        try checkConv2d(x: [1, 1, 4, 4], w: [1, 1, 3, 3])
        try checkConv2d(x: [2, 3, 5, 4], w: [2, 3, 2, 3])
    }

    func testConv2dStridesDilationsAsymmetricPads() throws {
        try checkConv2d(x: [2, 2, 5, 6], w: [3, 2, 2, 2], strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1])
        try checkConv2d(x: [1, 1, 7, 7], w: [1, 1, 3, 3], strides: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2])
    }

    func testConv2dGroups() throws {
        try checkConv2d(x: [1, 4, 4, 4], w: [4, 2, 3, 3], pads: [1, 1, 1, 1], group: 2)
        // Depthwise with two filters per channel.
        try checkConv2d(x: [2, 4, 3, 3], w: [8, 1, 2, 2], group: 4)
    }

    func testHalfPrecisionRoundsOnce() throws {
        // 2048 + 1 + 1 = 2050 is exact in f16; summing in f16 would give 2048 (2049 ties to even).
        let x = t([1, 1, 3], [1, 1, 1], .f16), w = t([1, 1, 3], [2048, 1, 1], .f16), b = t([1], [0], .f16)
        let y = try evalOp("Conv1d", [x, w, b])[0]
        XCTAssertEqual(y.dtype, .f16)
        XCTAssertEqual(y.doubles, [2050])
    }

    func testConv2dRejectsBadGroups() throws {
        // C = 3 is not divisible by group = 2.
        XCTAssertThrowsError(try evalOp("Conv2d", [t([1, 3, 3, 3], values(27)), t([2, 1, 1, 1], [1, 1]), t([2], [0, 0])],
                                        ["group": .int(2)]))
        // The kernel (with dilation) is larger than the padded input.
        XCTAssertThrowsError(try evalOp("Conv2d", [t([1, 1, 2, 2], values(4)), t([1, 1, 2, 2], values(4)), t([1], [0])],
                                        ["dilations": .ints([2, 2])]))
    }
}
