import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Element-wise unary ops (Specs/unary), against Foundation math evaluated in the test.
final class UnaryOpsTests: XCTestCase {
    /// Evaluates `op` on `xs` (shape [n]) and compares with `f` applied per element.
    private func check(_ op: String, _ xs: [Double], _ dtype: DType = .f64, _ attrs: [String: AttributeValue] = [:],
                       rtol: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line, _ f: (Double) -> Double) throws {
        let x = t([xs.count], xs, dtype)
        let y = try evalOp(op, [x], attrs, file: file, line: line)[0]
        // Expected: f of the input as stored in `dtype`, rounded once to `dtype`.
        assertClose(y, t([xs.count], x.doubles.map(f), dtype), rtol: rtol, atol: 1e-12, file: file, line: line)
    }

    private let wide: [Double] = [-3.5, -1, -0.25, 0, 0.3, 1, 2.75]
    private let unit: [Double] = [-1, -0.6, -0.1, 0, 0.2, 0.9, 1]
    private let positive: [Double] = [1e-3, 0.5, 1, 2, 10, 123.25]

    func testExpLogSqrt() throws {
        try check("Exp", wide) { exp($0) }
        try check("Log", positive) { log($0) }
        try check("Sqrt", positive + [0]) { sqrt($0) }
        try check("Exp", wide, .f32, rtol: 1e-6) { exp($0) }
    }

    func testTrigonometric() throws {
        try check("Sin", wide) { sin($0) }
        try check("Cos", wide) { cos($0) }
        try check("Tan", wide) { tan($0) }
        try check("Asin", unit) { asin($0) }
        try check("Acos", unit) { acos($0) }
        try check("Atan", wide) { atan($0) }
        try check("Sinh", wide) { sinh($0) }
        try check("Cosh", wide) { cosh($0) }
        try check("Tanh", wide) { tanh($0) }
        try check("Erf", wide) { erf($0) }
    }

    func testSigmoidAndReciprocal() throws {
        try check("Sigmoid", wide + [-40, 40]) { 1 / (1 + exp(-$0)) }
        try check("Reciprocal", [-4, -0.5, 1e-3, 0.3, 3]) { 1 / $0 }
    }

    func testFloorCeilRoundHalfToEven() throws {
        let xs: [Double] = [-2.5, -1.5, -0.5, -0.4, 0.5, 1.5, 2.5, 2.4, 2.6, 3]
        try check("Floor", xs) { $0.rounded(.down) }
        try check("Ceil", xs) { $0.rounded(.up) }
        let y = try evalOp("Round", [t([xs.count], xs)])[0]
        assertClose(y, t([xs.count], [-2, -2, -0, -0, 0, 2, 2, 2, 3, 3]))
    }

    func testAbsAndNegWrapIntegers() throws {
        assertClose(try evalOp("Abs", [t([3], [-1.5, 0, 2])])[0], t([3], [1.5, 0, 2]))
        let i8 = Tensor(dtype: .i8, shape: [4], ints: [-128, -3, 0, 127])
        assertClose(try evalOp("Abs", [i8])[0], Tensor(dtype: .i8, shape: [4], ints: [-128, 3, 0, 127]))
        assertClose(try evalOp("Neg", [i8])[0], Tensor(dtype: .i8, shape: [4], ints: [-128, 3, 0, -127]))
        assertClose(try evalOp("Neg", [t([2], [2.5, -0.0], .f64)])[0], t([2], [-2.5, 0], .f64))
        let u16 = Tensor(dtype: .u16, shape: [2], ints: [0, 65535])
        assertClose(try evalOp("Abs", [u16])[0], u16)
    }

    func testSign() throws {
        assertClose(try evalOp("Sign", [t([4], [-2.5, 0, 3, -0.001])])[0], t([4], [-1, 0, 1, -1]))
        let i32 = Tensor(dtype: .i32, shape: [3], ints: [-7, 0, 9])
        assertClose(try evalOp("Sign", [i32])[0], Tensor(dtype: .i32, shape: [3], ints: [-1, 0, 1]))
        let u8 = Tensor(dtype: .u8, shape: [2], ints: [0, 200])
        assertClose(try evalOp("Sign", [u8])[0], Tensor(dtype: .u8, shape: [2], ints: [0, 1]))
    }

    func testReluFamily() throws {
        try check("Relu", wide) { max($0, 0) }
        let i16 = Tensor(dtype: .i16, shape: [3], ints: [-300, 0, 300])
        assertClose(try evalOp("Relu", [i16])[0], Tensor(dtype: .i16, shape: [3], ints: [0, 0, 300]))
        // Real attribute defaults are ONNX float attributes: 0.01 and 0.2 are their f32 values.
        let alpha = Double(Float(0.01)), hardAlpha = Double(Float(0.2))
        try check("LeakyRelu", wide) { $0 < 0 ? alpha * $0 : $0 }
        try check("LeakyRelu", wide, .f64, ["alpha": .real(0.5)]) { $0 < 0 ? 0.5 * $0 : $0 }
        try check("Elu", wide) { $0 < 0 ? exp($0) - 1 : $0 }
        try check("Elu", wide, .f64, ["alpha": .real(0.3)]) { $0 < 0 ? 0.3 * (exp($0) - 1) : $0 }
        let (a, g) = (1.67326319217681884765625, 1.05070102214813232421875)
        try check("Selu", wide) { $0 > 0 ? g * $0 : g * (a * exp($0) - a) }
        try check("Selu", wide, .f64, ["alpha": .real(2), "gamma": .real(0.5)]) { $0 > 0 ? 0.5 * $0 : 0.5 * (2 * exp($0) - 2) }
        try check("HardSigmoid", wide + [-10, 10]) { max(0, min(1, hardAlpha * $0 + 0.5)) }
        try check("HardSigmoid", wide, .f64, ["alpha": .real(0.5), "beta": .real(0.25)]) { max(0, min(1, 0.5 * $0 + 0.25)) }
    }

    func testSoftplus() throws {
        // log(exp(x) + 1) directly; for x = 50 exp(x) is still finite in float64.
        try check("Softplus", wide + [-30, 50]) { log(exp($0) + 1) }
        // Far beyond exp's range the result is x itself.
        assertClose(try evalOp("Softplus", [t([1], [1000], .f64)])[0], t([1], [1000], .f64))
    }

    func testGelu() throws {
        try check("Gelu", wide) { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }
        try check("Gelu", wide, .f64, ["approximate": .name("tanh")]) { x in
            0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * pow(x, 3))))
        }
        try check("Gelu", wide, .f32, rtol: 1e-6) { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }
    }

    func testRoundingToHalfAndBFloat16() throws {
        // exp(1) = 2.71828...; f16 has a spacing of 2^-9 in [2, 4): 1391.76 * 2^-9 rounds to 1392 * 2^-9.
        XCTAssertEqual(try evalOp("Exp", [t([1], [1], .f16)])[0].doubles, [2.71875])
        XCTAssertEqual(try evalOp("Exp", [t([1], [1], .f16)])[0].dtype, .f16)
        // 1/3 in bf16 (8 significant bits): 1.0101011b * 2^-2.
        XCTAssertEqual(try evalOp("Reciprocal", [t([1], [3], .bf16)])[0].doubles, [0.333984375])
        // Computed in float64 and rounded once: sqrt(2) to f16 is 1.4140625 (1448 * 2^-10).
        XCTAssertEqual(try evalOp("Sqrt", [t([1], [2], .f16)])[0].doubles, [1.4140625])
    }

    func testIdentity() throws {
        let i64 = Tensor(dtype: .i64, shape: [2, 2], ints: [1, -2, 3, Int64.min])
        assertClose(try evalOp("Identity", [i64])[0], i64)
        let b = Tensor(dtype: .bool, shape: [3], scalars: [.bool(true), .bool(false), .bool(true)])
        assertClose(try evalOp("Identity", [b])[0], b)
        let scalar = t([], [4.5])
        assertClose(try evalOp("Identity", [scalar])[0], scalar)
    }

    func testClip() throws {
        let x = t([5], [-3, -1, 0.5, 2, 5])
        assertClose(try evalOp("Clip", [x], ["min": .real(-1), "max": .real(2)])[0], t([5], [-1, -1, 0.5, 2, 2]))
        // min > max: every element becomes max (ONNX: min(max(x, lo), hi)).
        assertClose(try evalOp("Clip", [x], ["min": .real(3), "max": .real(1)])[0], t([5], [1, 1, 1, 1, 1]))
        // Integer dtype: the bounds are converted to i32 first (-1.5 -> -1, 2.7 -> 2).
        let i = Tensor(dtype: .i32, shape: [5], ints: [-3, -1, 0, 2, 5])
        assertClose(try evalOp("Clip", [i], ["min": .real(-1.5), "max": .real(2.7)])[0],
                    Tensor(dtype: .i32, shape: [5], ints: [-1, -1, 0, 2, 2]))
        // Unsigned: a negative min converts to 0.
        let u = Tensor(dtype: .u8, shape: [3], ints: [0, 255, 7])
        assertClose(try evalOp("Clip", [u], ["min": .real(-3), "max": .real(250)])[0], Tensor(dtype: .u8, shape: [3], ints: [0, 250, 7]))
    }

    func testClipDefaults() throws {
        // An omitted bound is the lowest / highest value of the dtype: no clamping on that side.
        let x = t([4], [-1e30, -2, 3, 1e30])
        assertClose(try evalOp("Clip", [x])[0], x)
        assertClose(try evalOp("Clip", [x], ["min": .real(-1)])[0], t([4], [-1, -1, 3, 1e30]))
        assertClose(try evalOp("Clip", [x], ["max": .real(0)])[0], t([4], [-1e30, -2, 0, 0]))
        let i = Tensor(dtype: .i8, shape: [4], ints: [-128, -5, 5, 127])
        assertClose(try evalOp("Clip", [i])[0], i)
        assertClose(try evalOp("Clip", [i], ["min": .real(-6)])[0], Tensor(dtype: .i8, shape: [4], ints: [-6, -5, 5, 127]))
        assertClose(try evalOp("Clip", [i], ["max": .real(4)])[0], Tensor(dtype: .i8, shape: [4], ints: [-128, -5, 4, 4]))
        let u = Tensor(dtype: .u16, shape: [2], ints: [0, 65535])
        assertClose(try evalOp("Clip", [u])[0], u)
        let i32 = Tensor(dtype: .i32, shape: [2], ints: [Int64(Int32.min), Int64(Int32.max)])
        assertClose(try evalOp("Clip", [i32], ["max": .real(2147483520)])[0], Tensor(dtype: .i32, shape: [2], ints: [Int64(Int32.min), 2147483520]))
        // The default max of i32 and u64 (and any integer bound from 2^31 up) is not a float32
        // value, so it would not survive export and import: those instances are left out.
        XCTAssertThrowsError(try evalOp("Clip", [i32]))
        XCTAssertThrowsError(try evalOp("Clip", [Tensor(dtype: .u64, shape: [1], ints: [1])], ["min": .real(0)]))
    }

    func testCast() throws {
        let x = t([4], [2.7, -2.7, 0, 0.4])
        // float -> int truncates toward zero.
        assertClose(try evalOp("Cast", [x], ["to": .dtype(.i32)])[0], Tensor(dtype: .i32, shape: [4], ints: [2, -2, 0, 0]))
        // anything -> bool is x != 0.
        let b = try evalOp("Cast", [x], ["to": .dtype(.bool)])[0]
        assertClose(b, Tensor(dtype: .bool, shape: [4], scalars: [.bool(true), .bool(true), .bool(false), .bool(true)]))
        // int -> narrower int wraps.
        let i = Tensor(dtype: .i32, shape: [3], ints: [300, -1, 255])
        assertClose(try evalOp("Cast", [i], ["to": .dtype(.u8)])[0], Tensor(dtype: .u8, shape: [3], ints: [44, 255, 255]))
        assertClose(try evalOp("Cast", [i], ["to": .dtype(.i8)])[0], Tensor(dtype: .i8, shape: [3], ints: [44, -1, -1]))
        // int -> f16 rounds to nearest even: 2049 is a tie between 2048 and 2050.
        let big = Tensor(dtype: .i32, shape: [2], ints: [2049, 2051])
        XCTAssertEqual(try evalOp("Cast", [big], ["to": .dtype(.f16)])[0].doubles, [2048, 2052])
        // bool -> float, f64 -> f32.
        let bools = Tensor(dtype: .bool, shape: [2], scalars: [.bool(true), .bool(false)])
        assertClose(try evalOp("Cast", [bools], ["to": .dtype(.f32)])[0], t([2], [1, 0]))
        let y = try evalOp("Cast", [t([1], [0.1], .f64)], ["to": .dtype(.f32)])[0]
        XCTAssertEqual(y.dtype, .f32)
        XCTAssertEqual(y.doubles, [Double(Float(0.1))])
    }
}
