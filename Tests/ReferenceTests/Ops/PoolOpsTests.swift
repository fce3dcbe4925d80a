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

/// One output size, as the ONNX reference computes it: (in + pads - extent) / stride + 1 rounded
/// down, or up with ceil mode, then one less when the last window would start past the input and
/// its begin padding.
private func outputSize(_ n: Int, kernel: Int, stride: Int, dilation: Int, begin: Int, end: Int, ceil: Bool) -> Int {
    let span = Double(n + begin + end - dilation * (kernel - 1) - 1) / Double(stride)
    var out = Int(ceil ? span.rounded(.up) : span.rounded(.down)) + 1
    if ceil && (out - 1) * stride >= n + begin { out -= 1 }
    return out
}

/// Naive N-d pooling over [N, C, *spatial] with pads [begins..., ends...]: positions outside the
/// input are skipped; the average divides by the in-bounds count, or with `includePad` by the
/// count of positions inside the padded input.
private func poolReference(_ x: [Double], _ xs: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int],
                           ceil: Bool = false, isMax: Bool, includePad: Bool = false) -> ([Int], [Double]) {
    let sp = Array(xs[2...]), d = sp.count
    let os = (0..<d).map { outputSize(sp[$0], kernel: kernel[$0], stride: strides[$0], dilation: dilations[$0],
                                      begin: pads[$0], end: pads[d + $0], ceil: ceil) }
    var out: [Double] = []
    for plane in 0..<(xs[0] * xs[1]) {
        for o in indices(os) {
            var seen: [Double] = [], count = 0
            for r in indices(kernel) {
                let p = (0..<d).map { o[$0] * strides[$0] - pads[$0] + r[$0] * dilations[$0] }
                let inside = (0..<d).allSatisfy { p[$0] >= 0 && p[$0] < sp[$0] }
                if inside {
                    seen.append(x[plane * sp.reduce(1, *) + p.indices.reduce(0) { $0 * sp[$1] + p[$1] }])
                }
                if inside || (includePad && (0..<d).allSatisfy { p[$0] < sp[$0] + pads[d + $0] }) { count += 1 }
            }
            out.append(isMax ? seen.max()! : seen.reduce(0, +) / Double(count))
        }
    }
    return ([xs[0], xs[1]] + os, out)
}

/// MaxPool and AveragePool (Specs/pool): 1-D, 2-D and 3-D from one spec each.
final class PoolOpsTests: XCTestCase {
    private struct Case {
        var xs: [Int], k: [Int], s: [Int], d: [Int], p: [Int], ceil = false
    }

    private let cases: [Case] = [
        Case(xs: [1, 2, 7], k: [3], s: [2], d: [1], p: [1, 2]),
        Case(xs: [2, 1, 8], k: [2], s: [3], d: [2], p: [1, 0], ceil: true),
        Case(xs: [1, 2, 5, 5], k: [3, 3], s: [1, 1], d: [1, 1], p: [1, 1, 1, 1]),
        Case(xs: [2, 1, 6, 7], k: [2, 3], s: [2, 1], d: [2, 1], p: [1, 0, 0, 2]),
        Case(xs: [1, 3, 7, 6], k: [3, 2], s: [3, 2], d: [2, 2], p: [2, 1, 1, 0]),
        Case(xs: [1, 1, 6, 5], k: [3, 2], s: [2, 2], d: [1, 1], p: [1, 0, 1, 1], ceil: true),
        Case(xs: [1, 2, 4, 5, 3], k: [2, 3, 2], s: [2, 1, 2], d: [1, 1, 2], p: [0, 1, 1, 1, 2, 0]),
        Case(xs: [1, 1, 5, 4, 6], k: [2, 2, 3], s: [2, 3, 1], d: [2, 1, 1], p: [1, 0, 0, 0, 1, 2], ceil: true),
    ]

    private func attrs(_ c: Case) -> [String: AttributeValue] {
        ["kernel_shape": .ints(c.k), "strides": .ints(c.s), "dilations": .ints(c.d), "pads": .ints(c.p), "ceil_mode": .int(c.ceil ? 1 : 0)]
    }

    func testMaxPool2dByHand() throws {
        let x = t([1, 1, 4, 4], (1...16).map(Double.init))
        let y = try evalOp("MaxPool", [x], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])[0]
        assertClose(y, t([1, 1, 2, 2], [6, 8, 14, 16]))
    }

    func testMaxPoolAgainstReference() throws {
        for c in cases {
            let x = values(c.xs.reduce(1, *), 4)
            let (shape, expected) = poolReference(x, c.xs, kernel: c.k, strides: c.s, dilations: c.d, pads: c.p, ceil: c.ceil, isMax: true)
            assertClose(try evalOp("MaxPool", [t(c.xs, x, .f64)], attrs(c))[0], t(shape, expected, .f64))
        }
    }

    func testMaxPoolWithIndicesByHand() throws {
        // 3x3 input, 2x2 kernel, stride 1: maxima 5, 6, 8, 9 at flat indices 4, 5, 7, 8 (row-major);
        // column-major counts (h, w) as h + 3 w: 4, 7, 5, 8. The second plane is offset by 9.
        let x = t([1, 2, 3, 3], (1...9).map(Double.init) + (1...9).map { Double(10 - $0) })
        let out = try evalOp("MaxPoolWithIndices", [x], ["kernel_shape": .ints([2, 2])])
        assertClose(out[0], t([1, 2, 2, 2], [5, 6, 8, 9, 9, 8, 6, 5]))
        assertClose(out[1], Tensor(dtype: .i64, shape: [1, 2, 2, 2], ints: [4, 5, 7, 8, 9, 10, 12, 13]))
        let col = try evalOp("MaxPoolWithIndices", [x], ["kernel_shape": .ints([2, 2]), "storage_order": .int(1)])
        assertClose(col[1], Tensor(dtype: .i64, shape: [1, 2, 2, 2], ints: [4, 7, 5, 8, 9, 12, 10, 13]))
        // Ties: the first in window order; padding is never an index.
        let tie = try evalOp("MaxPoolWithIndices", [t([1, 1, 4], [7, 7, -1, -1])], ["kernel_shape": .ints([2]), "pads": .ints([1, 0])])
        assertClose(tie[0], t([1, 1, 4], [7, 7, 7, -1]))
        assertClose(tie[1], Tensor(dtype: .i64, shape: [1, 1, 4], ints: [0, 0, 1, 2]))
    }

    func testMaxPoolWithIndicesAgainstReference() throws {
        for c in cases {
            for columnMajor in [false, true] {
                let x = values(c.xs.reduce(1, *), 5)
                let (shape, expected) = poolReference(x, c.xs, kernel: c.k, strides: c.s, dilations: c.d, pads: c.p, ceil: c.ceil, isMax: true)
                var a = attrs(c)
                a["storage_order"] = .int(columnMajor ? 1 : 0)
                let out = try evalOp("MaxPoolWithIndices", [t(c.xs, x, .f64)], a)
                assertClose(out[0], t(shape, expected, .f64))
                // Each index points at its maximum, inside the window of its output position.
                let sp = Array(c.xs[2...]), planeSize = sp.reduce(1, *), os = Array(shape[2...])
                for (k, index) in out[1].scalars.map({ Int($0.asInt64) }).enumerated() {
                    let plane = k / os.reduce(1, *), o = indices(os)[k % os.reduce(1, *)]
                    XCTAssertEqual(index / planeSize, plane)
                    var rest = index % planeSize, p = Array(repeating: 0, count: sp.count)
                    let order = columnMajor ? Array(sp.indices) : Array(sp.indices.reversed())
                    for a in order { p[a] = rest % sp[a]; rest /= sp[a] }
                    XCTAssertEqual(x[plane * planeSize + p.indices.reduce(0) { $0 * sp[$1] + p[$1] }], expected[k])
                    for a in sp.indices {
                        let offset = p[a] - (o[a] * c.s[a] - c.p[a])
                        XCTAssertTrue(offset >= 0 && offset % c.d[a] == 0 && offset / c.d[a] < c.k[a], "index \(index) outside window \(o)")
                    }
                }
            }
        }
    }

    func testMaxPool1dPaddingNeverWins() throws {
        // All values negative: the zero padding must not be picked.
        let x = Tensor(dtype: .i8, shape: [1, 1, 3], ints: [-5, -7, -6])
        let y = try evalOp("MaxPool", [x], ["kernel_shape": .ints([2]), "pads": .ints([1, 1])])[0]
        assertClose(y, Tensor(dtype: .i8, shape: [1, 1, 4], ints: [-5, -5, -6, -6]))
        let u = Tensor(dtype: .u8, shape: [1, 1, 3], ints: [3, 250, 7])
        assertClose(try evalOp("MaxPool", [u], ["kernel_shape": .ints([2])])[0], Tensor(dtype: .u8, shape: [1, 1, 2], ints: [250, 250]))
        // Dilation 2, stride 2 on f32: windows {0, 2}, {2, 4}.
        let f = t([1, 1, 5], [1, 9, 3, -9, 2])
        let z = try evalOp("MaxPool", [f], ["kernel_shape": .ints([2]), "dilations": .ints([2]), "strides": .ints([2])])[0]
        assertClose(z, t([1, 1, 2], [3, 3]))
    }

    func testCeilMode() throws {
        // Length 5, kernel 2, stride 2: floor gives windows at 0, 2; ceil adds a window at 4 holding only X[4].
        let x = t([1, 1, 5], [1, 2, 3, 4, 5])
        let base: [String: AttributeValue] = ["kernel_shape": .ints([2]), "strides": .ints([2])]
        assertClose(try evalOp("MaxPool", [x], base)[0], t([1, 1, 2], [2, 4]))
        var ceil = base
        ceil["ceil_mode"] = .int(1)
        assertClose(try evalOp("MaxPool", [x], ceil)[0], t([1, 1, 3], [2, 4, 5]))
        assertClose(try evalOp("AveragePool", [x], ceil)[0], t([1, 1, 3], [1.5, 3.5, 5]))
        // With count_include_pad, ONNX leaves open what a window that ceil_mode runs past the end padding divides
        // by (onnx's reference, onnxruntime and OpenVINO differ): the spec leaves such windows out.
        ceil["count_include_pad"] = .int(1)
        XCTAssertThrowsError(try evalOp("AveragePool", [x], ceil))
        ceil["pads"] = .ints([1, 0])
        // Padded row: p 1 2 3 4 5; windows start at -1, 1, 3 (the last one holds 4, 5).
        assertClose(try evalOp("AveragePool", [x], ceil)[0], t([1, 1, 3], [0.5, 2.5, 4.5]))
    }

    func testCeilModeDropsALastWindowThatStartsPastTheInput() throws {
        // Length 4, kernel 1, stride 2, ceil: rounding up gives 3 windows, the last starting at 4, past the input;
        // ONNX drops it, so 2 windows at 0 and 2: values 1 and 3.
        let x = t([1, 1, 4], [1, 2, 3, 4])
        let attrs: [String: AttributeValue] = ["kernel_shape": .ints([1]), "strides": .ints([2]), "ceil_mode": .int(1)]
        assertClose(try evalOp("MaxPool", [x], attrs)[0], t([1, 1, 2], [1, 3]))
        assertClose(try evalOp("AveragePool", [x], attrs)[0], t([1, 1, 2], [1, 3]))
    }

    func testAveragePool2dByHand() throws {
        // 3x3 input, 2x2 kernel, stride 2, one pad on every side: windows start at -1 and 1.
        let x = t([1, 1, 3, 3], (1...9).map(Double.init))
        var attrs: [String: AttributeValue] = ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]
        assertClose(try evalOp("AveragePool", [x], attrs)[0], t([1, 1, 2, 2], [1, 2.5, 5.5, 7]))
        attrs["count_include_pad"] = .int(1)
        assertClose(try evalOp("AveragePool", [x], attrs)[0], t([1, 1, 2, 2], [0.25, 1.25, 2.75, 7]))
    }

    func testAveragePoolAgainstReference() throws {
        for c in cases {
            for include in [false, true] where !(include && Self.lastWindowPassesEndPadding(c)) {
                let x = values(c.xs.reduce(1, *), 6)
                let (shape, expected) = poolReference(x, c.xs, kernel: c.k, strides: c.s, dilations: c.d, pads: c.p, ceil: c.ceil,
                                                      isMax: false, includePad: include)
                var a = attrs(c)
                a["count_include_pad"] = .int(include ? 1 : 0)
                assertClose(try evalOp("AveragePool", [t(c.xs, x, .f64)], a)[0], t(shape, expected, .f64), rtol: 1e-12)
            }
        }
    }

    /// Whether ceil_mode gives `c` a last window that reaches past the end padding on some axis.
    private static func lastWindowPassesEndPadding(_ c: Case) -> Bool {
        let sp = Array(c.xs[2...]), d = sp.count
        return c.ceil && (0..<d).contains { a in
            let out = outputSize(sp[a], kernel: c.k[a], stride: c.s[a], dilation: c.d[a], begin: c.p[a], end: c.p[d + a], ceil: true)
            return (out - 1) * c.s[a] - c.p[a] + c.d[a] * (c.k[a] - 1) + 1 > sp[a] + c.p[d + a]
        }
    }

    func testAveragePoolWithCountIncludePadLeavesOutWindowsPastTheEndPadding() throws {
        let overhanging = cases.filter(Self.lastWindowPassesEndPadding)
        XCTAssertFalse(overhanging.isEmpty, "the cases hold one such window")
        for c in overhanging {
            var a = attrs(c)
            a["count_include_pad"] = .int(1)
            XCTAssertThrowsError(try evalOp("AveragePool", [t(c.xs, values(c.xs.reduce(1, *), 6), .f64)], a))
            a["count_include_pad"] = .int(0)
            XCTAssertNoThrow(try evalOp("AveragePool", [t(c.xs, values(c.xs.reduce(1, *), 6), .f64)], a))
        }
    }

    func testAveragePool1d() throws {
        let x = t([1, 1, 4], [1, 2, 3, 4])
        var attrs: [String: AttributeValue] = ["kernel_shape": .ints([3]), "pads": .ints([1, 1])]
        assertClose(try evalOp("AveragePool", [x], attrs)[0], t([1, 1, 4], [1.5, 2, 3, 3.5]))
        attrs["count_include_pad"] = .int(1)
        assertClose(try evalOp("AveragePool", [x], attrs)[0], t([1, 1, 4], [1, 2, 3, 7.0 / 3.0]))
        // Dilation 2: windows {0, 2} and {1, 3}.
        assertClose(try evalOp("AveragePool", [x], ["kernel_shape": .ints([2]), "dilations": .ints([2])])[0], t([1, 1, 2], [2, 3]))
        // f16 output: 1/3 rounds once.
        let h = try evalOp("AveragePool", [t([1, 1, 3], [1, 0, 0], .f16)], ["kernel_shape": .ints([3])])[0]
        XCTAssertEqual(h.doubles, [0.333251953125])
    }

    func testPoolsRejectBadAttributes() throws {
        let x = t([1, 1, 4, 4], values(16))
        // Pads as large as the kernel (onnxruntime refuses them).
        XCTAssertThrowsError(try evalOp("MaxPool", [x], ["kernel_shape": .ints([2, 2]), "pads": .ints([2, 0, 0, 0])]))
        XCTAssertThrowsError(try evalOp("AveragePool", [x], ["kernel_shape": .ints([2, 2]), "pads": .ints([0, 0, 0, 2])]))
        // A kernel per spatial axis: 2 values for a 2-D pool.
        XCTAssertThrowsError(try evalOp("MaxPool", [x], ["kernel_shape": .ints([2])]))
        // No spatial axis.
        XCTAssertThrowsError(try evalOp("MaxPool", [t([1, 2], [1, 2])], ["kernel_shape": .ints([])]))
    }
}
