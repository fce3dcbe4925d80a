import SpecLang
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Operators with optional inputs (Conv's bias, Gemm's C) and bounded variadic ones (Max, Min, Sum, Mean,
/// Concat with 1 to 4 inputs), against values worked out by hand.
final class OptionalInputOpsTests: XCTestCase {
    private func ints(_ shape: [Int], _ v: [Int64], _ d: DType) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }

    func testConvWithoutBias() throws {
        // 3x3 input 1..9, kernel [[1, 0], [0, 1]]: each output is X[i, j] + X[i + 1, j + 1], nothing added.
        let x = t([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), w = t([1, 1, 2, 2], [1, 0, 0, 1])
        assertClose(try evalOp("Conv", [x, w], ["bias": .int(0)])[0], t([1, 1, 2, 2], [6, 8, 12, 14]))
        // Without the attribute the bias is expected: two inputs do not instantiate.
        XCTAssertThrowsError(try evalOp("Conv", [x, w]))
    }

    func testGemmWithoutC() throws {
        // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50], times alpha 2; beta has nothing to scale.
        let a = t([2, 2], [1, 2, 3, 4]), b = t([2, 2], [5, 6, 7, 8])
        let y = try evalOp("Gemm", [a, b], ["hasC": .int(0), "alpha": .real(2), "beta": .real(3)])[0]
        assertClose(y, t([2, 2], [38, 44, 86, 100]))
        let i = try evalOp("Gemm", [ints([2, 2], [1, 2, 3, 4], .i32), ints([2, 2], [5, 6, 7, 8], .i32)], ["hasC": .int(0)])[0]
        assertClose(i, ints([2, 2], [19, 22, 43, 50], .i32))
    }

    func testMaxAndMinOfOneToFourInputs() throws {
        let a = t([3], [1, 5, -2]), b = t([1], [3]), c = t([3], [0, 0, 7]), d = t([2, 1], [-9, 4])
        assertClose(try evalOp("Max", [a], ["n": .int(1)])[0], a)
        assertClose(try evalOp("Max", [a, b, c], ["n": .int(3)])[0], t([3], [3, 5, 7]))
        assertClose(try evalOp("Min", [a, b, c], ["n": .int(3)])[0], t([3], [0, 0, -2]))
        // [2, 1] broadcasts against [3]: row 0 is max(a, b, c, -9), row 1 max(a, b, c, 4).
        assertClose(try evalOp("Max", [a, b, c, d], ["n": .int(4)])[0], t([2, 3], [3, 5, 7, 4, 5, 7]))
        // An absent input reads as the identity, which must be the dtype's extreme value, not a small number.
        assertClose(try evalOp("Max", [ints([2], [-128, 0], .i8)], ["n": .int(1)])[0], ints([2], [-128, 0], .i8))
        assertClose(try evalOp("Min", [ints([2], [255, 3], .u8)], ["n": .int(1)])[0], ints([2], [255, 3], .u8))
        let big = Tensor(dtype: .u64, shape: [1], bits: [UInt64.max])
        XCTAssertEqual(try evalOp("Min", [big], ["n": .int(1)])[0].bits, [UInt64.max])
        XCTAssertEqual(try evalOp("Max", [t([1], [-.infinity])], ["n": .int(1)])[0].doubles, [-.infinity])
    }

    func testSumAndMean() throws {
        let a = t([2], [1, 2]), b = t([1], [10]), c = t([2], [100, 200])
        assertClose(try evalOp("Sum", [a, b, c], ["n": .int(3)])[0], t([2], [111, 212]))
        assertClose(try evalOp("Sum", [a], ["n": .int(1)])[0], a)
        assertClose(try evalOp("Mean", [a, b, c], ["n": .int(3)])[0], t([2], [37, 212.0 / 3]))
        assertClose(try evalOp("Mean", [a, b], [:])[0], t([2], [5.5, 6]))
        assertClose(try evalOp("Mean", [a], ["n": .int(1)])[0], a)
    }

    func testConcatOfOneToFourInputs() throws {
        let a = t([1, 2], [1, 2]), b = t([2, 2], [3, 4, 5, 6]), c = t([1, 2], [7, 8])
        assertClose(try evalOp("Concat", [a, b, c], ["n": .int(3), "axis": .int(0)])[0], t([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]))
        assertClose(try evalOp("Concat", [a, b, c, a], ["n": .int(4), "axis": .int(-2)])[0],
                    t([5, 2], [1, 2, 3, 4, 5, 6, 7, 8, 1, 2]))
        assertClose(try evalOp("Concat", [b], ["n": .int(1), "axis": .int(1)])[0], b)
        XCTAssertThrowsError(try evalOp("Concat", [a, t([1, 3], [0, 0, 0])], ["n": .int(2), "axis": .int(0)]))
    }

    /// `lowest`, `highest` and a local `let`, in a spec written here.
    func testLowestHighestAndLocalLet() throws {
        let source = """
        op Bounds
        types T in f32, i8, u8, i64, u64, bool
        input X: T[N]
        output Y: T[N]
        compute Y[i] = i == 0 ? lowest(T) : highest(T)
        """
        let spec = try Checker.check(try Parser.parse(path: "Bounds.op", source: source), family: "test")
        func bounds(_ d: DType) throws -> [UInt64] {
            let x = Tensor(dtype: d, shape: [2], bits: [0, 0])
            return try OpEvaluation.evaluate(try spec.instantiate(inputs: [x.type], attributes: [:]), inputs: [x])[0].bits
        }
        XCTAssertEqual(try bounds(.f32), [UInt64(Float(-Float.infinity).bitPattern), UInt64(Float.infinity.bitPattern)])
        XCTAssertEqual(try bounds(.i8), [0x80, 0x7f])
        XCTAssertEqual(try bounds(.u8), [0, 0xff])
        XCTAssertEqual(try bounds(.i64), [UInt64(bitPattern: Int64.min), UInt64(Int64.max)])
        XCTAssertEqual(try bounds(.u64), [0, UInt64.max])
        XCTAssertEqual(try bounds(.bool), [0, 1])

        let square = """
        op Square
        types T in f32
        input X: T[N]
        output Y: T[N]
        compute Y[i] = let d = X[i] - 1 in let e = d * d in e + sum(k < N) (let x = X[k] in x * 10)
        """
        let sq = try Checker.check(try Parser.parse(path: "Square.op", source: square), family: "test")
        let x = t([2], [0, 3])
        // d = [-1, 2], e = [1, 4], and the sum is 10 * (0 + 3) = 30 for both.
        let y = try OpEvaluation.evaluate(try sq.instantiate(inputs: [x.type], attributes: [:]), inputs: [x])[0]
        assertClose(y, t([2], [31, 34]))
    }
}
