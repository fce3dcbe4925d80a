import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// Every index of `shape`, row-major.
private func indices(_ shape: [Int]) -> [[Int]] {
    shape.reduce([[]]) { acc, n in acc.flatMap { prefix in (0..<n).map { prefix + [$0] } } }
}

/// Row-major offset of `index` in `shape`.
private func offset(_ index: [Int], _ shape: [Int]) -> Int { zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 } }

/// A naive grouped N-d convolution: X [N, C, *sp], W [K, C / group, *ks], pads [begins..., ends...].
private func convReference(_ x: [Double], _ xs: [Int], _ w: [Double], _ ws: [Int], _ b: [Double],
                           strides: [Int], dilations: [Int], pads: [Int], group: Int) -> ([Int], [Double]) {
    let sp = Array(xs[2...]), ks = Array(ws[2...]), d = sp.count
    let (k, cg) = (ws[0], ws[1])
    var os: [Int] = []
    for a in 0..<d {
        let extent = dilations[a] * (ks[a] - 1) + 1
        os.append((sp[a] + pads[a] + pads[d + a] - extent) / strides[a] + 1)
    }
    var out: [Double] = []
    for img in 0..<xs[0] {
        for f in 0..<k {
            let g = f / (k / group)
            for o in indices(os) {
                var acc = b[f]
                for ci in 0..<cg {
                    for r in indices(ks) {
                        var p: [Int] = []
                        for a in 0..<d { p.append(o[a] * strides[a] + r[a] * dilations[a] - pads[a]) }
                        guard (0..<d).allSatisfy({ p[$0] >= 0 && p[$0] < sp[$0] }) else { continue }
                        acc += x[offset([img, g * cg + ci] + p, xs)] * w[offset([f, ci] + r, ws)]
                    }
                }
                out.append(acc)
            }
        }
    }
    return ([xs[0], k] + os, out)
}

/// Conv (Specs/conv): 1-D, 2-D and 3-D from one spec.
final class ConvOpsTests: XCTestCase {
    private func check(x xs: [Int], w ws: [Int], strides: [Int]? = nil, dilations: [Int]? = nil, pads: [Int]? = nil,
                       group: Int = 1, file: StaticString = #filePath, line: UInt = #line) throws {
        let d = xs.count - 2
        let strides = strides ?? Array(repeating: 1, count: d), dilations = dilations ?? Array(repeating: 1, count: d)
        let pads = pads ?? Array(repeating: 0, count: 2 * d)
        let x = values(xs.reduce(1, *), 1), w = values(ws.reduce(1, *), 3), b = values(ws[0], 8)
        let (shape, expected) = convReference(x, xs, w, ws, b, strides: strides, dilations: dilations, pads: pads, group: group)
        let attrs: [String: AttributeValue] = ["strides": .ints(strides), "dilations": .ints(dilations), "pads": .ints(pads), "group": .int(group)]
        let y = try evalOp("Conv", [t(xs, x, .f64), t(ws, w, .f64), t([ws[0]], b, .f64)], attrs, file: file, line: line)[0]
        assertClose(y, t(shape, expected, .f64), rtol: 1e-12, file: file, line: line)
    }

    func testConv1dByHand() throws {
        let x = t([1, 1, 4], [1, 2, 3, 4]), w = t([1, 1, 2], [1, 2]), b = t([1], [0.5])
        assertClose(try evalOp("Conv", [x, w, b])[0], t([1, 1, 3], [5.5, 8.5, 11.5]))
        // pads [1, 2], stride 2: the padded row is 0 1 2 3 4 0 0; windows start at 0, 2, 4.
        let y = try evalOp("Conv", [x, w, b], ["pads": .ints([1, 2]), "strides": .ints([2])])[0]
        assertClose(y, t([1, 1, 3], [2.5, 8.5, 4.5]))
        // dilation 2: X[i] + 2 X[i + 2].
        let z = try evalOp("Conv", [x, w, b], ["dilations": .ints([2])])[0]
        assertClose(z, t([1, 1, 2], [1 + 6 + 0.5, 2 + 8 + 0.5]))
    }

    func testConv2dByHand() throws {
        // A 3x3 input, 2x2 all-ones kernel, bias 1: each output is the window sum + 1.
        let x = t([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), w = t([1, 1, 2, 2], [1, 1, 1, 1]), b = t([1], [1])
        assertClose(try evalOp("Conv", [x, w, b])[0], t([1, 1, 2, 2], [13, 17, 25, 29]))
        // pads [1, 1, 0, 0]: the top-left window sees only X[0, 0].
        let y = try evalOp("Conv", [x, w, b], ["pads": .ints([1, 1, 0, 0])])[0]
        assertClose(y, t([1, 1, 3, 3], [2, 4, 6, 6, 13, 17, 12, 25, 29]))
    }

    func testConv1dAgainstReference() throws {
        try check(x: [2, 4, 7], w: [6, 2, 3], strides: [2], dilations: [2], pads: [2, 1], group: 2)
        try check(x: [1, 3, 5], w: [2, 3, 1])
    }

    func testConv2dAgainstReference() throws {
        try check(x: [1, 1, 4, 4], w: [1, 1, 3, 3])
        try check(x: [2, 3, 5, 4], w: [2, 3, 2, 3])
        try check(x: [2, 2, 5, 6], w: [3, 2, 2, 2], strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1])
        try check(x: [1, 1, 7, 7], w: [1, 1, 3, 3], strides: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2])
    }

    func testConv2dGroups() throws {
        try check(x: [1, 4, 4, 4], w: [4, 2, 3, 3], pads: [1, 1, 1, 1], group: 2)
        // Depthwise with two filters per channel.
        try check(x: [2, 4, 3, 3], w: [8, 1, 2, 2], group: 4)
    }

    func testConv3d() throws {
        try check(x: [1, 2, 4, 3, 5], w: [2, 2, 2, 2, 3])
        try check(x: [2, 4, 5, 4, 4], w: [4, 2, 3, 2, 2], strides: [2, 1, 3], dilations: [1, 2, 1], pads: [1, 0, 2, 0, 1, 1], group: 2)
        // By hand: a 2x2x2 input of ones and a 2x2x2 kernel of twos sums to 16, plus bias -1.
        let y = try evalOp("Conv", [t([1, 1, 2, 2, 2], Array(repeating: 1, count: 8)), t([1, 1, 2, 2, 2], Array(repeating: 2, count: 8)),
                                    t([1], [-1])])[0]
        assertClose(y, t([1, 1, 1, 1, 1], [15]))
    }

    func testHalfPrecisionRoundsOnce() throws {
        // 2048 + 1 + 1 = 2050 is exact in f16; summing in f16 would give 2048 (2049 ties to even).
        let x = t([1, 1, 3], [1, 1, 1], .f16), w = t([1, 1, 3], [2048, 1, 1], .f16), b = t([1], [0], .f16)
        let y = try evalOp("Conv", [x, w, b])[0]
        XCTAssertEqual(y.dtype, .f16)
        XCTAssertEqual(y.doubles, [2050])
    }

    func testConvRejectsBadShapes() throws {
        // C = 3 is not divisible by group = 2.
        XCTAssertThrowsError(try evalOp("Conv", [t([1, 3, 3, 3], values(27)), t([2, 1, 1, 1], [1, 1]), t([2], [0, 0])],
                                        ["group": .int(2)]))
        // The kernel (with dilation) is larger than the padded input.
        XCTAssertThrowsError(try evalOp("Conv", [t([1, 1, 2, 2], values(4)), t([1, 1, 2, 2], values(4)), t([1], [0])],
                                        ["dilations": .ints([2, 2])]))
        // A 2-D kernel for a 1-D input.
        XCTAssertThrowsError(try evalOp("Conv", [t([1, 1, 4], values(4)), t([1, 1, 2, 2], values(4)), t([1], [0])]))
    }
}
