import ModelIR
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Integer overflow is a validity fact: the reference's values stay wrapped, and it reports where an integer result
/// leaves its dtype (arithmetic, reductions in any order, float casts, stored elements); a test run with one is
/// invalid, never a finding.
final class OverflowTests: XCTestCase {
    /// The overflow `op` reports on `inputs`, after checking that the reported run gives the plain run's values.
    func overflow(_ op: String, _ inputs: [Tensor], _ attrs: [String: AttributeValue] = [:],
                  file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let spec = try XCTUnwrap(try sharedLibrary.get().spec(named: op), file: file, line: line)
        let instance = try spec.instantiate(inputs: inputs.map(\.type), attributes: attrs)
        let (outputs, found) = try OpEvaluation.evaluateReportingOverflow(instance, inputs: inputs)
        XCTAssertEqual(outputs, try OpEvaluation.evaluate(instance, inputs: inputs), "values unchanged", file: file, line: line)
        return found
    }

    func ints(_ dtype: DType, _ values: [Int64], shape: [Int]? = nil) -> Tensor {
        Tensor(dtype: dtype, shape: shape ?? [values.count], ints: values)
    }

    func testElementWiseArithmeticOutsideTheDtype() throws {
        XCTAssertNotNil(try overflow("Mul", [ints(.i32, [70_000, 3]), ints(.i32, [70_000, 4])]))
        XCTAssertNil(try overflow("Mul", [ints(.i32, [-70, 3]), ints(.i32, [70, 4])]))
        XCTAssertNotNil(try overflow("Mul", [ints(.i64, [1 << 40]), ints(.i64, [1 << 30])]), "beyond 64 bits")
        XCTAssertNotNil(try overflow("Add", [ints(.i8, [100]), ints(.i8, [100])]))
        XCTAssertNotNil(try overflow("Sub", [ints(.u32, [2]), ints(.u32, [3])]), "below zero")
        XCTAssertNil(try overflow("Sub", [ints(.u32, [3]), ints(.u32, [3])]))
        XCTAssertNotNil(try overflow("Abs", [ints(.i8, [-128])]))
        XCTAssertNil(try overflow("Abs", [ints(.i8, [-127])]))
        XCTAssertNotNil(try overflow("Neg", [ints(.i32, [Int64(Int32.min)])]))
        XCTAssertNotNil(try overflow("Div", [ints(.i64, [.min]), ints(.i64, [-1])]))
        XCTAssertNotNil(try overflow("Pow", [ints(.i32, [3]), ints(.i32, [20])]), "3^20 fits 64 bits, not i32")
        XCTAssertNotNil(try overflow("Pow", [ints(.i64, [3]), ints(.i64, [41])]))
        XCTAssertNil(try overflow("Pow", [ints(.i64, [3]), ints(.i64, [39])]))
        XCTAssertNil(try overflow("Mul", [t([2], [1e30, 2]), t([2], [1e30, 3])]), "float overflow is the finiteness check's")
    }

    func testReductionsInAnyOrder() throws {
        let big = Int64(Int32.max)
        XCTAssertNotNil(try overflow("ReduceProd", [ints(.i32, [65_536, 65_536])]))
        XCTAssertNil(try overflow("ReduceProd", [ints(.i32, [65_536, 65_536, 0])]), "0 in every order")
        XCTAssertNil(try overflow("ReduceProd", [ints(.i32, [-46_340, 46_340])]))
        // The sum fits, but adding the positive terms first does not: a saturating kernel would differ.
        XCTAssertNotNil(try overflow("ReduceSum", [ints(.i32, [big, 1, -1])]))
        XCTAssertNil(try overflow("ReduceSum", [ints(.i32, [big - 1, 1, -5])]))
        XCTAssertNotNil(try overflow("ReduceMean", [ints(.i32, [big, big])]), "the mean fits, the sum does not")
        XCTAssertNotNil(try overflow("CumSum", [ints(.i64, [.max, 1])], ["axis": .int(0)]))
        XCTAssertNotNil(try overflow("MatMul", [ints(.i32, [50_000, 50_000], shape: [1, 2]), ints(.i32, [50_000, -50_000], shape: [2, 1])]))
        XCTAssertNil(try overflow("MatMul", [ints(.i32, [5, 6], shape: [1, 2]), ints(.i32, [7, -8], shape: [2, 1])]))
    }

    func testNarrowingIntegerCastsWrapAsOnnxSays() throws {
        XCTAssertNil(try overflow("Cast", [ints(.i64, [300, -1])], ["to": .dtype(.i8)]))
        XCTAssertNil(try overflow("Cast", [t([2], [-100.5, 1])], ["to": .dtype(.i8)]))
        // A float stored into an integer output out of its range is one (Pow's integer base, float exponent).
        XCTAssertNotNil(try overflow("Pow", [ints(.i32, [10]), t([1], [9.5])]))
        XCTAssertNil(try overflow("Pow", [ints(.i32, [10]), t([1], [8.5])]))
    }

    func testIntegerGemmIsExact() throws {
        let a = ints(.i64, [3_000_000_000, 3], shape: [1, 2]), b = ints(.i64, [3_000_000_000, 1], shape: [2, 1])
        let c = ints(.i64, [1], shape: [1])
        let attrs: [String: AttributeValue] = ["alpha": .real(-1), "beta": .real(1)]
        XCTAssertNil(try overflow("Gemm", [a, b, c], attrs))
        // -(9e18 + 3) + 1 exactly, where float64 would round.
        XCTAssertEqual(try evalOp("Gemm", [a, b, c], attrs)[0].scalar(at: 0), .int(-9_000_000_000_000_000_002))
        XCTAssertNotNil(try overflow("Gemm", [a, b, c], ["alpha": .real(-2)]), "beyond 64 bits")
        XCTAssertNotNil(try overflow("Gemm", [ints(.i32, [50_000], shape: [1, 1]), ints(.i32, [50_000], shape: [1, 1]), ints(.i32, [0], shape: [1])]))
    }

    func testAnOverflowingTestIsInvalid() throws {
        let library = try sharedLibrary.get()
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: i32[2]
            node y: i32[2] = Mul(x, x)
            output y
            """)
        let instances = try Verifier.verify(model, library: library)
        func violation(_ x: [Int64]) throws -> String? {
            let values = try Interpreter.run(model, library: library, inputs: ["x": ints(.i32, x)])
            return TestValidity.violation(model, instances: instances, values: values)
        }
        XCTAssertNil(try violation([3, -46_340]))
        let why = try XCTUnwrap(try violation([3, 46_341]))
        XCTAssertTrue(why.hasPrefix("Mul producing 'y' overflows its integer dtype"), why)
    }
}
