import Foundation
import TensorCore
import XCTest
@testable import Oracle

/// `Oracle.toleranceScale` (`check --tolerance`): every tolerance multiplied, so a difference the defaults call a
/// mismatch passes at a wide enough factor and still fails at a narrow one.
final class ToleranceScaleTests: XCTestCase {
    func f32(_ values: [Float]) -> Tensor {
        Tensor(dtype: .f32, shape: [values.count], bits: values.map { UInt64($0.bitPattern) })
    }

    func testScaleWidensTheComparison() {
        // f32 defaults, by hand: |a - e| <= 1e-5 + 1e-4 * |e|. At e = 1, a = 1.0005 the difference 5e-4 is beyond
        // 1.1e-4; times 10 (1.1e-3) it is within, times 4 (4.4e-4) still beyond.
        var oracle = Oracle(library: specLibrary)
        let actual = [f32([1.0005, 2])], expected = [f32([1, 2])]
        XCTAssertEqual(oracle.judge(actual, expected: expected, name: "b").verdict, .mismatch)
        oracle.toleranceScale = 10
        XCTAssertEqual(oracle.judge(actual, expected: expected, name: "b").verdict, .pass)
        oracle.toleranceScale = 4
        XCTAssertEqual(oracle.judge(actual, expected: expected, name: "b").verdict, .mismatch)
    }

    func testScaleIsKeptWhenAPolicyIsApplied() {
        var oracle = Oracle(library: specLibrary)
        oracle.toleranceScale = 10
        let widened = oracle.applying(PrecisionPolicy(computesAs: [.f64: .f32]))
        XCTAssertEqual(widened.tolerance(for: .f32).rtol, 1e-3, accuracy: 1e-12)
        XCTAssertEqual(widened.tolerance(for: .f64).rtol, 1e-3, accuracy: 1e-12, "f64 computed as f32: f32's tolerance, times 10")
    }
}
