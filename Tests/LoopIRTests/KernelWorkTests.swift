import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR

/// The work `bench compiler` divides run times by: operations on values and input/output bytes of lowered operators.
final class KernelWorkTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    func work(_ op: String, _ inputs: [TensorType], _ attributes: [String: AttributeValue] = [:]) throws -> KernelWork {
        let instance = try XCTUnwrap(library.spec(named: op)).instantiate(inputs: inputs, attributes: attributes)
        return try Lowering.lower(instance).work
    }

    /// One addition per element; two inputs and one output of 4 elements, 8 bytes each.
    func testAnElementwiseOperationCountsOneOperationPerElement() throws {
        let t = TensorType(.f32, [4])
        XCTAssertEqual(try work("Add", [t, t]), KernelWork(operations: 4, bytes: 3 * 4 * 8))
    }

    /// [2, 3] x [3, 4]: each of the 8 outputs is 3 products and 3 accumulations.
    func testAMatrixProductCountsAMultiplyAndAnAddPerStep() throws {
        let w = try work("MatMul", [TensorType(.f32, [2, 3]), TensorType(.f32, [3, 4])])
        XCTAssertEqual(w.operations, 8 * 3 * 2)
        XCTAssertEqual(w.bytes, (6 + 12 + 8) * 8)
    }

    /// Loads, casts and index arithmetic are not operations; a select counts its longer branch.
    func testLoadsAndIndexArithmeticAreNotOperations() {
        let load = LExpr.load(buffer: 0, offset: .binary("+", .slot(0), .int(1)), inBounds: .const(.bool(true)), fallback: nil)
        XCTAssertEqual(KernelWork.operations(in: .cast(.f32, load)), 0)
        XCTAssertEqual(KernelWork.operations(in: .select(.binary("<", load, .int(0)), .unary("-", load), load)), 2)
        XCTAssertEqual(KernelWork.operations(in: .reduce("sum", slots: [1, 2], extents: [3, 5], body: .call("exp", [load]))), 30)
    }
}
