import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// The activations and inverse hyperbolic functions added for exported models (Specs/unary), against
/// formulas written out in the test and values worked by hand.
final class ActivationOpsTests2: XCTestCase {
    private let xs: [Double] = [-4, -3, -1.5, -0.25, 0, 0.5, 2, 3, 5]

    /// Evaluates `op` on `values` (f64, shape [n]) and compares with `f` per element.
    private func check(_ op: String, _ values: [Double], _ attrs: [String: AttributeValue] = [:],
                       file: StaticString = #filePath, line: UInt = #line, _ f: (Double) -> Double) throws {
        let y = try evalOp(op, [t([values.count], values, .f64)], attrs, file: file, line: line)[0]
        assertClose(y, t([values.count], values.map(f), .f64), rtol: 1e-12, atol: 1e-12, file: file, line: line)
    }

    func testHardSwishPiecewise() throws {
        // 0 at or below -3, X at or above 3, X (X + 3) / 6 between.
        try check("HardSwish", xs) { $0 <= -3 ? 0 : ($0 >= 3 ? $0 : $0 * ($0 + 3) / 6) }
        let y = try evalOp("HardSwish", [t([3], [-3, 1, 3], .f64)])[0]
        assertClose(y, t([3], [0, 4.0 / 6.0, 3], .f64))
    }

    func testMish() throws {
        try check("Mish", xs) { $0 * tanh(log(1 + exp($0))) }
        // Large inputs: softplus(X) ~ X, tanh ~ 1, so Mish(X) ~ X; no overflow at 800.
        let y = try evalOp("Mish", [t([2], [800, -800], .f64)])[0]
        assertClose(y, t([2], [800, 0], .f64))
    }

    func testCeluAlpha() throws {
        try check("Celu", xs) { $0 > 0 ? $0 : exp($0) - 1 }
        try check("Celu", xs, ["alpha": .real(2)]) { $0 > 0 ? $0 : 2 * (exp($0 / 2) - 1) }
        // Celu with alpha = 1 is Elu with alpha = 1.
        let x = t([xs.count], xs, .f32)
        assertClose(try evalOp("Celu", [x])[0], try evalOp("Elu", [x])[0])
    }

    func testSoftsignAndThresholdedRelu() throws {
        try check("Softsign", xs) { $0 / (1 + abs($0)) }
        assertClose(try evalOp("Softsign", [t([3], [-3, 0, 1], .f64)])[0], t([3], [-0.75, 0, 0.5], .f64))
        // Default alpha 1: X = 1 itself is not above the threshold.
        assertClose(try evalOp("ThresholdedRelu", [t([4], [0.5, 1, 1.5, -2], .f64)])[0], t([4], [0, 0, 1.5, 0], .f64))
        try check("ThresholdedRelu", xs, ["alpha": .real(-1.5)]) { $0 > -1.5 ? $0 : 0 }
    }

    func testShrinkHardAndSoft() throws {
        let x = t([5], [-2, -1, 0, 1, 2], .f32)
        // Hard (bias 0), lambd 1.5: only |X| > 1.5 survives.
        assertClose(try evalOp("Shrink", [x], ["lambd": .real(1.5)])[0], t([5], [-2, 0, 0, 0, 2], .f32))
        // Soft (bias = lambd = 1.5): survivors move toward 0 by 1.5.
        assertClose(try evalOp("Shrink", [x], ["lambd": .real(1.5), "bias": .real(1.5)])[0], t([5], [-0.5, 0, 0, 0, 0.5], .f32))
        // Default lambd 0.5: X = 0.5 is not beyond it.
        assertClose(try evalOp("Shrink", [t([3], [-0.5, 0.5, 0.75], .f32)])[0], t([3], [0, 0, 0.75], .f32))
    }

    func testSwish() throws {
        try check("Swish", xs) { $0 / (1 + exp(-$0)) }
        try check("Swish", xs, ["alpha": .real(0.5)]) { $0 / (1 + exp(-0.5 * $0)) }
    }

    func testInverseHyperbolic() throws {
        // Closed forms: asinh x = log(x + sqrt(x^2 + 1)), acosh x = log(x + sqrt(x^2 - 1)),
        // atanh x = log((1 + x) / (1 - x)) / 2.
        try check("Asinh", xs) { log($0 + ($0 * $0 + 1).squareRoot()) }
        try check("Acosh", [1, 1.5, 2, 10, 1e3]) { log($0 + ($0 * $0 - 1).squareRoot()) }
        try check("Atanh", [-0.99, -0.5, 0, 0.25, 0.9]) { log((1 + $0) / (1 - $0)) / 2 }
        assertClose(try evalOp("Acosh", [t([1], [1], .f64)])[0], t([1], [0], .f64))
    }

    func testPReluBroadcastsSlopeOneWay() throws {
        // X [2, 3], slope [3]: each column has its own slope.
        let x = t([2, 3], [-1, -2, 3, 4, -5, -6])
        let slope = t([3], [0.5, 2, -1])
        assertClose(try evalOp("PRelu", [x, slope])[0], t([2, 3], [-0.5, -4, 3, 4, -10, 6]))
        // A scalar slope is LeakyRelu.
        let leaky = try evalOp("LeakyRelu", [x], ["alpha": .real(0.25)])[0]
        assertClose(try evalOp("PRelu", [x, t([], [0.25])])[0], leaky)
        // Integers: -3 * 2 exactly.
        let i = Tensor(dtype: .i32, shape: [2], ints: [-3, 3])
        assertClose(try evalOp("PRelu", [i, Tensor(dtype: .i32, shape: [1], ints: [2])])[0], Tensor(dtype: .i32, shape: [2], ints: [-6, 3]))
        // The slope may not be larger than X (the output keeps X's shape).
        XCTAssertThrowsError(try evalOp("PRelu", [t([3], [1, 2, 3]), t([2, 3], [1, 1, 1, 1, 1, 1])]))
    }

    func testDropoutInferenceIsIdentity() throws {
        let x = t([2, 2], [1, -2, 3.5, 0])
        let out = try evalOp("Dropout", [x], ["ratio": .real(0.3)])
        assertClose(out[0], x)
        assertClose(out[1], Tensor(dtype: .bool, shape: [2, 2], ints: [1, 1, 1, 1]))
        // Training with ratio 0 drops nothing; training with a positive ratio is refused.
        assertClose(try evalOp("Dropout", [x], ["ratio": .real(0), "training_mode": .int(1)])[0], x)
        XCTAssertThrowsError(try evalOp("Dropout", [x], ["ratio": .real(0.5), "training_mode": .int(1)]))
    }
}
