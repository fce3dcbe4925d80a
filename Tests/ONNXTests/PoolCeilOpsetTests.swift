import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// A ceil_mode pool whose last window ONNX drops (it would start past the input and the begin padding) is written at
/// opset 22, where onnx.checker's shape inference drops it too, and read only from models of opset 22 or later.
final class PoolCeilOpsetTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    let attrs: [String: AttributeValue] = ["kernel_shape": .ints([1]), "strides": .ints([2]), "ceil_mode": .int(1)]

    func model(_ op: String, length: Int, out: Int) -> Model {
        Model(inputs: [ValueInfo("x", TensorType(.f32, [1, 1, length]))],
              nodes: [Node(op: op, inputs: ["x"], outputs: [ValueInfo("y", TensorType(.f32, [1, 1, out]))], attributes: attrs)],
              outputs: ["y"])
    }

    func testADroppedLastWindowIsWrittenAtOpset22() throws {
        // Length 4, stride 2: rounding up gives a third window starting at 4, past the input: dropped.
        XCTAssertEqual(try Exporter.opset(model("MaxPool", length: 4, out: 2), library: library), 22)
        XCTAssertEqual(try Exporter.opset(model("LpPool", length: 4, out: 2), library: library), 22)
        // Length 5: the third window starts at 4, inside the input, and stays: the older lines write it.
        XCTAssertEqual(try Exporter.opset(model("MaxPool", length: 5, out: 3), library: library), 12)
    }

    func testAnOlderModelWithADroppedWindowIsRefusedAndANewOneImports() throws {
        let bytes = try Exporter.export(model("MaxPool", length: 4, out: 2), library: library)
        XCTAssertEqual(try Importer.decode(bytes, library: library).nodes[0].attributes["ceil_mode"], .int(1))
        XCTAssertThrowsError(try Importer.decode(ONNXOpsetTests.withOpset(bytes, 21), library: library))
    }
}
