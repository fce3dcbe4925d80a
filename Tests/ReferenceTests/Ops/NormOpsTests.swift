import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// Applies `f` to every line of `x` (shape `shape`) along `axis`, in place.
private func alongAxis(_ x: [Double], _ shape: [Int], _ axis: Int, _ f: ([Double]) -> [Double]) -> [Double] {
    let inner = shape[(axis + 1)...].reduce(1, *), n = shape[axis], outer = shape[..<axis].reduce(1, *)
    var out = x
    for o in 0..<outer {
        for i in 0..<inner {
            let idx = (0..<n).map { (o * n + $0) * inner + i }
            for (k, v) in zip(idx, f(idx.map { x[$0] })) { out[k] = v }
        }
    }
    return out
}

private func softmax(_ v: [Double]) -> [Double] {
    let e = v.map { exp($0) }, s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Softmax, LogSoftmax, BatchNormalization and LayerNormalization (Specs/norm).
final class NormOpsTests: XCTestCase {
    func testSoftmaxAlongEachAxis() throws {
        let shape = [2, 3, 2], x = values(12, 2)
        for axis in -3..<3 {
            let a = axis < 0 ? axis + 3 : axis
            let y = try evalOp("Softmax", [t(shape, x, .f64)], ["axis": .int(axis)])[0]
            assertClose(y, t(shape, alongAxis(x, shape, a, softmax), .f64), rtol: 1e-12)
            let l = try evalOp("LogSoftmax", [t(shape, x, .f64)], ["axis": .int(axis)])[0]
            assertClose(l, t(shape, alongAxis(x, shape, a) { softmax($0).map { log($0) } }, .f64), rtol: 1e-12)
        }
        // Default axis = -1.
        let d = try evalOp("Softmax", [t([2, 2], [0, 1, 2, 2])])[0]
        assertClose(d, t([2, 2], [1 / (1 + exp(1)), 1 / (1 + exp(-1)), 0.5, 0.5]))
    }

    func testSoftmaxIsStableForLargeInputs() throws {
        // exp(1000) overflows; the spec subtracts the max first.
        let y = try evalOp("Softmax", [t([3], [1000, 1000, 999], .f64)])[0]
        let e = exp(-1.0)
        assertClose(y, t([3], [1 / (2 + e), 1 / (2 + e), e / (2 + e)], .f64), rtol: 1e-12)
        let l = try evalOp("LogSoftmax", [t([2], [-1000, 0], .f64)])[0]
        assertClose(l, t([2], [-1000, 0], .f64), rtol: 1e-12)
    }

    func testBatchNormalizationTrainingUsesTheBatchStatistics() throws {
        // X [N = 2, C = 2, 2]: channel 0 holds 1, 2 (n 0) and 3, 6 (n 1): mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5;
        // channel 1 holds 0, 0, 4, 4: mean 2, variance 4.
        let x = t([2, 2, 2], [1, 2, 0, 0, 3, 6, 4, 4], .f64)
        let scale = t([2], [2, 1], .f64), b = t([2], [0, -1], .f64)
        let mean = t([2], [1, 0], .f64), variance = t([2], [1, 2], .f64)
        let out = try evalOp("BatchNormalizationTraining", [x, scale, b, mean, variance], ["epsilon": .real(0.5), "momentum": .real(0.75)])
        // Y = (x - M) / sqrt(Q + 0.5) * scale + b: channel 0 divides by 2 and doubles, channel 1 divides by sqrt(4.5).
        let r = 4.5.squareRoot()
        assertClose(out[0], t([2, 2, 2], [-2, -1, -2 / r - 1, -2 / r - 1, 0, 3, 2 / r - 1, 2 / r - 1], .f64), rtol: 1e-12)
        // running = input * 0.75 + batch * 0.25.
        assertClose(out[1], t([2], [1.5, 0.5], .f64), rtol: 1e-12)
        assertClose(out[2], t([2], [1.625, 2.5], .f64), rtol: 1e-12)
    }

    func testBatchNormalization() throws {
        // X [N = 2, C = 3, 2]: per channel c, (x - mean) / sqrt(var + eps) * scale + b.
        let x = values(12, 1), scale = [1.0, -2, 0.5], b = [0.0, 1, -1], mean = [0.5, -1, 2], variance = [1.0, 4, 0.25]
        for eps in [1e-5, 0.01] {
            var expected: [Double] = []
            for k in 0..<12 {
                let c = (k / 2) % 3
                expected.append((x[k] - mean[c]) / (variance[c] + eps).squareRoot() * scale[c] + b[c])
            }
            let y = try evalOp("BatchNormalization", [t([2, 3, 2], x, .f64), t([3], scale, .f64), t([3], b, .f64), t([3], mean, .f64), t([3], variance, .f64)],
                               ["epsilon": .real(eps)])[0]
            assertClose(y, t([2, 3, 2], expected, .f64), rtol: 1e-12)
        }
        // Rank 2 (no spatial axes), f32 data with f64 statistics and f16 scale/bias.
        let y = try evalOp("BatchNormalization", [t([1, 2], [3, 4]), t([2], [2, 1], .f16), t([2], [0, 1], .f16), t([2], [1, 2], .f64), t([2], [3, 1], .f64)])[0]
        let eps = Double(Float(1e-5))  // the default, an ONNX float attribute
        assertClose(y, t([1, 2], [(3 - 1) / (3 + eps).squareRoot() * 2, (4 - 2) / (1 + eps).squareRoot() + 1]))
    }

    func testLayerNormalizationLastAxis() throws {
        let x = values(6, 3), scale = [1.0, 2, -1], b = [0.0, 0.5, 1]
        let y = try evalOp("LayerNormalization", [t([2, 3], x, .f64), t([3], scale, .f64), t([3], b, .f64)])[0]
        var expected: [Double] = []
        for row in 0..<2 {
            let v = Array(x[(row * 3)..<(row * 3 + 3)])
            let mu = v.reduce(0, +) / 3, sigma2 = v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 3
            expected += (0..<3).map { (v[$0] - mu) / (sigma2 + Double(Float(1e-5))).squareRoot() * scale[$0] + b[$0] }
        }
        assertClose(y, t([2, 3], expected, .f64), rtol: 1e-12)
    }

    func testLayerNormalizationOverTrailingAxes() throws {
        // axis = 1 on [2, 2, 3]: each of the 2 blocks of 6 is normalized; scale and B are [2, 3].
        let x = values(12, 5), scale = values(6, 2).map { $0 + 3 }, b = values(6, 9)
        for axis in [1, -2] {
            let y = try evalOp("LayerNormalization", [t([2, 2, 3], x, .f64), t([2, 3], scale, .f64), t([2, 3], b, .f64)],
                               ["axis": .int(axis), "epsilon": .real(1e-3)])[0]
            var expected: [Double] = []
            for block in 0..<2 {
                let v = Array(x[(block * 6)..<(block * 6 + 6)])
                let mu = v.reduce(0, +) / 6, sigma2 = v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6
                expected += (0..<6).map { (v[$0] - mu) / (sigma2 + 1e-3).squareRoot() * scale[$0] + b[$0] }
            }
            assertClose(y, t([2, 2, 3], expected, .f64), rtol: 1e-12)
        }
        // axis = 0 normalizes the whole tensor.
        let y = try evalOp("LayerNormalization", [t([2, 2], [1, 2, 3, 4]), t([2, 2], [1, 1, 1, 1]), t([2, 2], [0, 0, 0, 0])], ["axis": .int(0)])[0]
        let s = (1.25 + Double(Float(1e-5))).squareRoot()
        assertClose(y, t([2, 2], [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]))
    }

    func testLayerNormalizationMeanAndInvStdDev() throws {
        // axis = -2 on [2, 2, 3]: Mean and InvStdDev are float32 of shape [2, 1, 1], also for f64 X.
        let x = values(12, 7), ones = [Double](repeating: 1, count: 6), zeros = [Double](repeating: 0, count: 6)
        let out = try evalOp("LayerNormalization", [t([2, 2, 3], x, .f64), t([2, 3], ones, .f64), t([2, 3], zeros, .f64)],
                             ["axis": .int(-2), "epsilon": .real(0.01)])
        XCTAssertEqual(out.count, 3)
        var means: [Double] = [], invs: [Double] = []
        for block in 0..<2 {
            let v = Array(x[(block * 6)..<(block * 6 + 6)])
            let mu = v.reduce(0, +) / 6, sigma2 = v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6
            means.append(mu)
            invs.append(1 / (sigma2 + 0.01).squareRoot())
        }
        assertClose(out[1], t([2, 1, 1], means, .f32))
        assertClose(out[2], t([2, 1, 1], invs, .f32))
        // By hand: one row [1, 3], mean 2, variance 1, epsilon 0 -> InvStdDev 1 and Y = [-1, 1].
        let h = try evalOp("LayerNormalization", [t([1, 2], [1, 3], .f16), t([2], [1, 1], .f16), t([2], [0, 0], .f16)],
                           ["epsilon": .real(0)])
        assertClose(h[0], t([1, 2], [-1, 1], .f16))
        assertClose(h[1], t([1, 1], [2], .f32))
        assertClose(h[2], t([1, 1], [1], .f32))
    }
}
