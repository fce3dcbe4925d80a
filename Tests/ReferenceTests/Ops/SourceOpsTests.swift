import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Range and ConstantOfShape (Specs/layout): operators with no runtime input, typed by a `dtype` attribute.
final class SourceOpsTests: XCTestCase {
    private func range(_ d: DType, _ start: Double, _ limit: Double, _ delta: Double) throws -> Tensor {
        try evalOp("Range", [], ["dtype": .dtype(d), "start": .real(start), "limit": .real(limit), "delta": .real(delta)])[0]
    }

    func testRange() throws {
        // ceil((10 - 3) / 3) = 3 elements: 3, 6, 9.
        assertClose(try range(.f32, 3, 10, 3), t([3], [3, 6, 9]))
        // Counting down: ceil((4 - 10) / -2) = 3 elements.
        assertClose(try range(.f64, 10, 4, -2), t([3], [10, 8, 6], .f64))
        // A limit on the wrong side gives no element: max(ceil(-2), 0).
        assertClose(try range(.f32, 5, 1, 2), t([0], []))
        // Fractional steps: 0, 0.25, 0.5, 0.75 (limit excluded).
        assertClose(try range(.f32, 0, 1, 0.25), t([4], [0, 0.25, 0.5, 0.75]))
        // Integers: ceil((4 - (-2)) / 4) = 2 elements.
        XCTAssertEqual(try range(.i32, -2, 4, 4), Tensor(dtype: .i32, shape: [2], ints: [-2, 2]))
        XCTAssertEqual(try range(.i64, 0, 3, 1), Tensor(dtype: .i64, shape: [3], ints: [0, 1, 2]))
        // delta 0 is refused.
        XCTAssertThrowsError(try range(.f32, 0, 3, 0))
    }

    private func constant(_ d: DType, _ value: Double, _ shape: [Int]) throws -> Tensor {
        try evalOp("ConstantOfShape", [], ["dtype": .dtype(d), "value": .real(value), "r": .int(shape.count), "shape": .ints(shape)])[0]
    }

    func testConstantOfShape() throws {
        assertClose(try constant(.f32, 1.5, [2, 3]), t([2, 3], [Double](repeating: 1.5, count: 6)))
        XCTAssertEqual(try constant(.i32, -2, [3]), Tensor(dtype: .i32, shape: [3], ints: [-2, -2, -2]))
        // An empty shape gives a scalar; a zero dim an empty tensor.
        assertClose(try constant(.f64, 7, []), t([], [7], .f64))
        assertClose(try constant(.f32, 7, [2, 0]), t([2, 0], []))
        // Any nonzero value is true.
        XCTAssertEqual(try constant(.bool, 3, [2]), Tensor(dtype: .bool, shape: [2], ints: [1, 1]))
        // ONNX's defaults: float32 zeros.
        let defaults = try evalOp("ConstantOfShape", [], ["r": .int(1), "shape": .ints([2])])[0]
        assertClose(defaults, t([2], [0, 0]))
    }
}
