import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// An integer attribute read from a constant input of a float dtype (OneHot's depth may be any numeric tensor):
/// a whole number is taken, a fraction is refused.
final class ONNXWholeFloatConstantTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func oneHot(depth: Double) -> HandMadeModel {
        HandMadeModel(inputs: [("i", TensorType(.i64, [2])), ("v", TensorType(.f32, [2]))],
                      initializers: [("d", Tensor(dtype: .f32, shape: [], doubles: [depth]))],
                      nodes: [.init(op: "OneHot", inputs: ["i", "d", "v"], outputs: ["y"])],
                      outputs: [("y", TensorType(.f32, [2, Int(depth)]))])
    }

    func testAWholeFloatDepthGivesTheIntegerAttribute() throws {
        let model = try Importer.decode(oneHot(depth: 3).bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["OneHot"])
        XCTAssertEqual(model.nodes[0].attributes["depth"], .int(3))
    }

    func testAFractionalDepthIsRefused() throws {
        XCTAssertThrowsError(try Importer.decode(oneHot(depth: 2.5).bytes(), library: library)) { error in
            XCTAssertTrue("\(error)".contains("cannot take"), "\(error)")
        }
    }
}
