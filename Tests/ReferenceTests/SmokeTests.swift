import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Reference

/// Relu, Softmax and a broadcasting integer Add from the repository's specs, values computed by hand.
final class SmokeTests: XCTestCase {
    func testRepositorySpecs() throws {
        let lib = try SpecLibrary.load(directory: repositorySpecs)
        let relu = try lib.spec(named: "Relu")!.instantiate(inputs: [TensorType(.f32, [3])], attributes: [:])
        let y = try OpEvaluation.evaluate(relu, inputs: [t([3], [-1, 2, -3])])[0]
        XCTAssertEqual(y.doubles, [0, 2, 0])
        let sm = try lib.spec(named: "Softmax")!.instantiate(inputs: [TensorType(.f64, [2, 2])], attributes: ["axis": .int(0)])
        let s = try OpEvaluation.evaluate(sm, inputs: [t([2, 2], [0, 1, 0, 3], .f64)])[0]
        XCTAssertEqual(s.doubles[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.doubles[1], 1 / (1 + exp(2.0)), accuracy: 1e-12)
        let add = try lib.spec(named: "Add")!.instantiate(inputs: [TensorType(.i32, [2, 1]), TensorType(.i32, [3])], attributes: [:])
        let c = try OpEvaluation.evaluate(add, inputs: [Tensor(dtype: .i32, shape: [2, 1], ints: [10, 20]), Tensor(dtype: .i32, shape: [3], ints: [1, 2, 3])])[0]
        XCTAssertEqual(c.shape, [2, 3])
        XCTAssertEqual(c.doubles, [11, 12, 13, 21, 22, 23])
    }
}
