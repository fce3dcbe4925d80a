import Foundation
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Reference

let specsDirectory = repositorySpecs

/// The library loaded once for all tests.
let sharedLibrary: Result<SpecLibrary, Error> = Result { try SpecLibrary.load(directory: specsDirectory) }

/// Evaluates `op` from the repository's specs on `inputs` (inputs and weights in declaration order).
func evalOp(_ op: String, _ inputs: [Tensor], _ attrs: [String: AttributeValue] = [:],
            file: StaticString = #filePath, line: UInt = #line) throws -> [Tensor] {
    let library = try sharedLibrary.get()
    guard let spec = library.spec(named: op) else {
        XCTFail("no spec named \(op)", file: file, line: line)
        throw ReferenceError("no spec named \(op)")
    }
    let instance = try spec.instantiate(inputs: inputs.map(\.type), attributes: attrs)
    return try OpEvaluation.evaluate(instance, inputs: inputs)
}

/// Asserts the same dtype and shape and values within tolerance (exact for integers and bools).
func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-6, atol: Double = 1e-9,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.dtype, expected.dtype, "dtype", file: file, line: line)
    XCTAssertEqual(actual.shape, expected.shape, "shape", file: file, line: line)
    guard actual.dtype == expected.dtype, actual.shape == expected.shape else { return }
    let tolerance = expected.dtype.isFloat ? Tolerance(rtol: rtol, atol: atol) : Tolerance(rtol: 0, atol: 0)
    let report = Compare.allClose(actual: actual, expected: expected, tolerance: tolerance)
    XCTAssertTrue(report.passed, "got \(actual.doubles), expected \(expected.doubles)", file: file, line: line)
}

/// A tensor from doubles (rounded to `dtype`).
func t(_ shape: [Int], _ values: [Double], _ dtype: DType = .f32) -> Tensor {
    Tensor(dtype: dtype, shape: shape, doubles: values)
}
