import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// (v - mean) / sqrt(variance + eps) with the biased variance.
private func standardize(_ v: [Double], eps: Double) -> [Double] {
    let mu = v.reduce(0, +) / Double(v.count), sigma2 = v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(v.count)
    return v.map { ($0 - mu) / (sigma2 + eps).squareRoot() }
}

private let defaultEps = Double(Float(1e-5))  // ONNX float attributes are float32

/// InstanceNormalization, GroupNormalization, LpNormalization, MeanVarianceNormalization, LRN and
/// RMSNormalization (Specs/norm).
final class NormOpsTests2: XCTestCase {
    func testInstanceNormalization() throws {
        // X [2, 3, 4]: each (n, c) row of 4 standardized, then scale[c] and B[c].
        let x = values(24, 1), scale = [1.0, -2, 0.5], b = [0.0, 1, -1]
        var expected: [Double] = []
        for row in 0..<6 { expected += standardize(Array(x[(row * 4)..<(row * 4 + 4)]), eps: 0.01).map { $0 * scale[row % 3] + b[row % 3] } }
        let y = try evalOp("InstanceNormalization", [t([2, 3, 4], x, .f64), t([3], scale, .f64), t([3], b, .f64)], ["epsilon": .real(0.01)])[0]
        assertClose(y, t([2, 3, 4], expected, .f64), rtol: 1e-12)
        // By hand: one channel [1, 3]: mean 2, variance 1 -> [-1, 1] / sqrt(1 + eps).
        let h = try evalOp("InstanceNormalization", [t([1, 1, 2], [1, 3], .f64), t([1], [1], .f64), t([1], [0], .f64)])[0]
        assertClose(h, t([1, 1, 2], [-1 / (1 + defaultEps).squareRoot(), 1 / (1 + defaultEps).squareRoot()], .f64), rtol: 1e-12)
    }

    func testGroupNormalization() throws {
        // X [1, 4, 3] in 2 groups of 2 channels: each group's 6 values standardized together.
        let x = values(12, 2), scale = [1.0, 2, -1, 0.5], bias = [0.0, 0.5, 1, -1]
        let groups = [Array(x[0..<6]), Array(x[6..<12])].flatMap { standardize($0, eps: defaultEps) }
        let expected = (0..<12).map { groups[$0] * scale[$0 / 3] + bias[$0 / 3] }
        let y = try evalOp("GroupNormalization", [t([1, 4, 3], x, .f64), t([4], scale, .f64), t([4], bias, .f64)], ["num_groups": .int(2)])[0]
        assertClose(y, t([1, 4, 3], expected, .f64), rtol: 1e-12)
        // num_groups == C is instance normalization.
        let ones = [1.0, 1, 1, 1], zeros = [0.0, 0, 0, 0]
        let g = try evalOp("GroupNormalization", [t([1, 4, 3], x, .f64), t([4], ones, .f64), t([4], zeros, .f64)], ["num_groups": .int(4)])[0]
        let i = try evalOp("InstanceNormalization", [t([1, 4, 3], x, .f64), t([4], ones, .f64), t([4], zeros, .f64)])[0]
        assertClose(g, i, rtol: 1e-12)
    }

    func testLpNormalization() throws {
        // Rows [3, 4] and [-1, 1] along the last axis: L2 norms 5 and sqrt(2), L1 norms 7 and 2.
        let x = t([2, 2], [3, 4, -1, 1], .f64), r = sqrt(2.0)
        assertClose(try evalOp("LpNormalization", [x])[0], t([2, 2], [0.6, 0.8, -1 / r, 1 / r], .f64), rtol: 1e-12)
        assertClose(try evalOp("LpNormalization", [x], ["p": .int(1)])[0], t([2, 2], [3.0 / 7, 4.0 / 7, -0.5, 0.5], .f64), rtol: 1e-12)
        // Along axis 0: columns [3, -1] and [4, 1].
        let c = try evalOp("LpNormalization", [x], ["axis": .int(0)])[0]
        assertClose(c, t([2, 2], [3 / sqrt(10.0), 4 / sqrt(17.0), -1 / sqrt(10.0), 1 / sqrt(17.0)], .f64), rtol: 1e-12)
        // A zero norm gives 0, as ONNX defines.
        assertClose(try evalOp("LpNormalization", [t([1, 2], [0, 0], .f64)])[0], t([1, 2], [0, 0], .f64))
    }

    func testMeanVarianceNormalization() throws {
        // Default axes [0, 2, 3] on X [2, 2, 1, 3]: per channel over 6 values, divided by std + 1e-9.
        let x = values(12, 3)
        var expected = [Double](repeating: 0, count: 12)
        for c in 0..<2 {
            let idx = [0, 1].flatMap { n in (0..<3).map { (n * 2 + c) * 3 + $0 } }
            let v = idx.map { x[$0] }, mu = v.reduce(0, +) / 6
            let sd = (v.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6).squareRoot()
            for k in idx { expected[k] = (x[k] - mu) / (sd + 1e-9) }
        }
        // float32 only (see the spec).
        assertClose(try evalOp("MeanVarianceNormalization", [t([2, 2, 1, 3], x)])[0], t([2, 2, 1, 3], expected), rtol: 1e-5)
        // By hand, axes [1] of [[1, 3], [2, 6]]: rows become [-1, 1] (up to the 1e-9).
        let h = try evalOp("MeanVarianceNormalization", [t([2, 2], [1, 3, 2, 6])], ["axes": .ints([1])])[0]
        assertClose(h, t([2, 2], [-1, 1, -1, 1]), rtol: 1e-6)
    }

    func testLRN() throws {
        // X [1, 4, 1, 1] = [1, 2, 3, 4], size 3: windows {0, 1}, {0, 1, 2}, {1, 2, 3}, {2, 3}.
        let x = [1.0, 2, 3, 4], sq = [5.0, 14, 29, 25]
        for (alpha, beta, bias) in [(1e-4, 0.75, 1.0), (0.5, 1.0, 2.0)] {
            let a = Double(Float(alpha)), b = Double(Float(beta))
            let expected = (0..<4).map { x[$0] / pow(bias + a / 3 * sq[$0], b) }
            let y = try evalOp("LRN", [t([1, 4, 1, 1], x, .f64)], ["size": .int(3), "alpha": .real(alpha), "beta": .real(beta), "bias": .real(bias)])[0]
            assertClose(y, t([1, 4, 1, 1], expected, .f64), rtol: 1e-12)
        }
        // size 1 on [1, 3, 1, 2]: each element over itself, x / (1 + x^2)^1.
        let y = try evalOp("LRN", [t([1, 3, 1, 2], [1, 2, 3, -1, 0, 2], .f64)], ["size": .int(1), "alpha": .real(1), "beta": .real(1)])[0]
        assertClose(y, t([1, 3, 1, 2], [1.0 / 2, 2.0 / 5, 3.0 / 10, -1.0 / 2, 0, 2.0 / 5], .f64), rtol: 1e-12)
    }

    func testRMSNormalization() throws {
        // X [2, 3], last axis: each row divided by sqrt(mean of squares + eps), times scale.
        let x = values(6, 4), scale = [1.0, -1, 2]
        var expected: [Double] = []
        for row in 0..<2 {
            let v = Array(x[(row * 3)..<(row * 3 + 3)]), rms = (v.map { $0 * $0 }.reduce(0, +) / 3 + defaultEps).squareRoot()
            expected += (0..<3).map { v[$0] / rms * scale[$0] }
        }
        assertClose(try evalOp("RMSNormalization", [t([2, 3], x, .f64), t([3], scale, .f64)])[0], t([2, 3], expected, .f64), rtol: 1e-12)
        // axis 0 normalizes over everything: [3, 4] / sqrt(12.5 + 0.5) with epsilon 0.5.
        let h = try evalOp("RMSNormalization", [t([1, 2], [3, 4], .f64), t([1, 2], [1, 1], .f64)], ["axis": .int(0), "epsilon": .real(0.5)])[0]
        assertClose(h, t([1, 2], [3 / sqrt(13.0), 4 / sqrt(13.0)], .f64), rtol: 1e-12)
    }

    func testCumProd() throws {
        let x = t([4], [1, 2, 3, 4], .f64)
        assertClose(try evalOp("CumProd", [x], ["axis": .int(0)])[0], t([4], [1, 2, 6, 24], .f64))
        assertClose(try evalOp("CumProd", [x], ["axis": .int(0), "exclusive": .int(1)])[0], t([4], [1, 1, 2, 6], .f64))
        assertClose(try evalOp("CumProd", [x], ["axis": .int(0), "reverse": .int(1)])[0], t([4], [24, 24, 12, 4], .f64))
        assertClose(try evalOp("CumProd", [x], ["axis": .int(0), "reverse": .int(1), "exclusive": .int(1)])[0], t([4], [24, 12, 4, 1], .f64))
        // 2-D along axis 1 (and -1) on i32.
        let m = Tensor(dtype: .i32, shape: [2, 3], ints: [1, 2, 3, -1, 5, 2])
        for axis in [1, -1] {
            assertClose(try evalOp("CumProd", [m], ["axis": .int(axis)])[0], Tensor(dtype: .i32, shape: [2, 3], ints: [1, 2, 6, -1, -5, -10]))
        }
        assertClose(try evalOp("CumProd", [m], ["axis": .int(0)])[0], Tensor(dtype: .i32, shape: [2, 3], ints: [1, 2, 3, -1, 10, 6]))
    }
}
