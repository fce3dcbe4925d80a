import ModelIR
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// ONNX Squeeze without axes removes every size-1 axis: the spec's default `positions(S == 1)` lists them.
final class SqueezeWithoutAxesTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func squeeze(_ shape: [Int], out: [Int]) -> HandMadeModel {
        HandMadeModel(opset: 13, inputs: [("x", TensorType(.f32, shape))],
                      nodes: [HandMadeModel.NodeSpec(op: "Squeeze", inputs: ["x"], outputs: ["y"], values: [])],
                      outputs: [("y", TensorType(.f32, out))])
    }

    func testEverySizeOneAxisIsRemoved() throws {
        let model = try Importer.decode(squeeze([1, 3, 1, 2, 1], out: [3, 2]).bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Squeeze"])
        XCTAssertEqual(model.nodes[0].attributes["axes"], .ints([0, 2, 4]))
        XCTAssertEqual(model.nodes[0].outputs[0].type.shape, [3, 2])
    }

    func testAnInputWithoutSizeOneAxesIsRefusedWithItsNode() throws {
        XCTAssertThrowsError(try Importer.decode(squeeze([3, 2], out: [3, 2]).bytes(), library: library)) { error in
            XCTAssertTrue("\(error)".contains("Squeeze"), "\(error)")
        }
    }

    func testTheVectorFunctionListsNonzeroPositions() throws {
        XCTAssertEqual(try VectorFunctions.table["positions"]!.apply([.vector([0, 3, 0, 1])]), .vector([1, 3]))
        XCTAssertEqual(try VectorFunctions.table["positions"]!.apply([.vector([])]), .vector([]))
    }
}
