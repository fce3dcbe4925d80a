import XCTest
@testable import TensorCore

final class ComparisonTests: XCTestCase {
    private func f64(_ values: [Double]) -> Tensor {
        Tensor(dtype: .f64, shape: [values.count], doubles: values)
    }

    func testDefaults() {
        XCTAssertEqual(Tolerance.default(for: .f64), Tolerance(rtol: 1e-9, atol: 1e-12))
        XCTAssertEqual(Tolerance.default(for: .f32), Tolerance(rtol: 1e-4, atol: 1e-5))
        XCTAssertEqual(Tolerance.default(for: .f16), Tolerance(rtol: 1e-2, atol: 1e-3))
        XCTAssertEqual(Tolerance.default(for: .bf16), Tolerance(rtol: 2e-2, atol: 1e-2))
        for dtype in DType.integers + [.bool] {
            XCTAssertEqual(Tolerance.default(for: dtype), Tolerance(rtol: 0, atol: 0))
        }
    }

    func testToleranceBoundary() {
        // Threshold is atol + rtol*|e| = 0.5 + 0.25 * 1 = 0.75, exactly representable.
        let tol = Tolerance(rtol: 0.25, atol: 0.5)
        let inside = Compare.allClose(actual: f64([1.75, 0.25]), expected: f64([1, 1]), tolerance: tol)
        XCTAssertTrue(inside.passed)
        XCTAssertEqual(inside.maxAbsError, 0.75)
        XCTAssertEqual(inside.maxRelError, 0.75)
        let outside = Compare.allClose(
            actual: f64([1, 1.75.nextUp]), expected: f64([1, 1]), tolerance: tol)
        XCTAssertFalse(outside.passed)
        XCTAssertEqual(outside.mismatches, 1)
        XCTAssertEqual(outside.firstMismatch, 1)
        XCTAssertEqual(outside.count, 2)
        // Relative tolerance scales with the expected value, not the actual one.
        let rel = Compare.allClose(
            actual: f64([150]), expected: f64([100]), tolerance: Tolerance(rtol: 0.5, atol: 0))
        XCTAssertTrue(rel.passed)
        let relSwapped = Compare.allClose(
            actual: f64([100]), expected: f64([150]), tolerance: Tolerance(rtol: 0.4, atol: 0))
        XCTAssertTrue(relSwapped.passed)
        let relFail = Compare.allClose(
            actual: f64([150]), expected: f64([100]), tolerance: Tolerance(rtol: 0.4, atol: 0))
        XCTAssertFalse(relFail.passed)
    }

    func testNaNAndInfinity() {
        let tol = Tolerance(rtol: 1, atol: 1)
        let same = Compare.allClose(
            actual: f64([.nan, .infinity, -.infinity, -0.0]),
            expected: f64([.nan, .infinity, -.infinity, 0.0]), tolerance: tol)
        XCTAssertTrue(same.passed)
        XCTAssertEqual(same.nanInActual, 1)
        XCTAssertEqual(same.nanInExpected, 1)
        XCTAssertEqual(same.infInActual, 2)
        XCTAssertEqual(same.infInExpected, 2)
        XCTAssertEqual(same.maxULP, 0)

        let bad = Compare.allClose(
            actual: f64([1, .nan, .infinity, -.infinity, 2]),
            expected: f64([.nan, 1, -.infinity, 1e308, 2]), tolerance: tol)
        XCTAssertFalse(bad.passed)
        XCTAssertEqual(bad.mismatches, 4)
        XCTAssertEqual(bad.nanOrInfMismatches, 4)
        XCTAssertEqual(bad.firstMismatch, 0)
        XCTAssertEqual(bad.maxULP, UInt64.max)
        XCTAssertEqual(bad.maxAbsError, 0)   // only finite pairs contribute
    }

    func testShapeAndDTypeMismatch() {
        let a = Tensor.zeros(TensorType(.f32, [2, 3]))
        let b = Tensor.zeros(TensorType(.f32, [3, 2]))
        let c = Tensor.zeros(TensorType(.f16, [2, 3]))
        let shape = Compare.allClose(actual: a, expected: b, tolerance: .default(for: .f32))
        XCTAssertTrue(shape.shapeMismatch)
        XCTAssertFalse(shape.passed)
        let dtype = Compare.allClose(actual: a, expected: c, tolerance: .default(for: .f32))
        XCTAssertTrue(dtype.dtypeMismatch)
        XCTAssertFalse(dtype.passed)
        XCTAssertTrue(Compare.allClose(actual: a, expected: a, tolerance: .default(for: .f32)).passed)
    }

    func testIntegersAreExact() {
        let e = Tensor(dtype: .i32, shape: [3], ints: [1, -5, 100])
        let a = Tensor(dtype: .i32, shape: [3], ints: [1, -4, 100])
        let report = Compare.allClose(actual: a, expected: e, tolerance: Tolerance(rtol: 1, atol: 10))
        XCTAssertFalse(report.passed)   // tolerances are ignored for integers
        XCTAssertEqual(report.mismatches, 1)
        XCTAssertEqual(report.firstMismatch, 1)
        XCTAssertEqual(report.maxAbsError, 1)
        XCTAssertEqual(report.maxULP, 1)
        let bools = Tensor(dtype: .bool, shape: [2], ints: [1, 0])
        XCTAssertTrue(Compare.allClose(actual: bools, expected: bools, tolerance: .default(for: .bool)).passed)
        let u = Compare.allClose(
            actual: Tensor(dtype: .u64, shape: [1], scalars: [.uint(UInt64.max)]),
            expected: Tensor(dtype: .u64, shape: [1], scalars: [.uint(0)]), tolerance: .default(for: .u64))
        XCTAssertEqual(u.maxULP, UInt64.max)
    }

    func testULPDistance() {
        let one = 1.0
        XCTAssertEqual(Compare.ulpDistance(one, Double(Float(1).nextUp), dtype: .f32), 1)
        XCTAssertEqual(Compare.ulpDistance(-0.0, 0.0, dtype: .f32), 0)
        XCTAssertEqual(Compare.ulpDistance(-0.0, 0.0, dtype: .f64), 0)
        XCTAssertEqual(Compare.ulpDistance(one, one.nextUp, dtype: .f64), 1)
        XCTAssertEqual(Compare.ulpDistance(one, 1 + 0x1p-10, dtype: .f16), 1)
        XCTAssertEqual(Compare.ulpDistance(one, 1 + 0x1p-7, dtype: .bf16), 1)
        XCTAssertEqual(Compare.ulpDistance(0x1p-24, -0x1p-24, dtype: .f16), 2)
        XCTAssertEqual(Compare.ulpDistance(65504, .infinity, dtype: .f16), 1)
        XCTAssertEqual(Compare.ulpDistance(.nan, .nan, dtype: .f32), 0)
        XCTAssertEqual(Compare.ulpDistance(.nan, 1, dtype: .f32), UInt64.max)
        XCTAssertEqual(Compare.ulpDistance(1, .nan, dtype: .f16), UInt64.max)
        XCTAssertEqual(Compare.ulpDistance(2, 1, dtype: .f32), 0x80_0000)
        XCTAssertEqual(
            Compare.ulpDistance(-.greatestFiniteMagnitude, .greatestFiniteMagnitude, dtype: .f64),
            2 * 0x7FEF_FFFF_FFFF_FFFF)
    }

    func testF32ToleranceOnRoundedValues() {
        let e = Tensor(dtype: .f32, shape: [2], doubles: [1000, 0])
        let a = Tensor(dtype: .f32, shape: [2], doubles: [1000.05, 5e-6])
        let report = Compare.allClose(actual: a, expected: e, tolerance: .default(for: .f32))
        XCTAssertTrue(report.passed)
        XCTAssertEqual(report.maxRelError, .infinity)   // nonzero error against an expected zero
        XCTAssertGreaterThan(report.maxULP, 0)
    }
}
