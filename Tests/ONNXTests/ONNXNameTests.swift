import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// An ONNX graph names every value once: a name defined twice, or a declared output type the graph does not
/// compute, is refused with the name rather than resolved by a guess (last wins, dropped, renamed, ignored).
final class ONNXNameTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    let f = TensorType(.f32, [2, 3])
    let w = Tensor(dtype: .f32, shape: [2, 3], doubles: [1, 2, 3, 4, 5, 6])

    func relu(_ input: String, _ output: String) -> HandMadeModel.NodeSpec { .init(op: "Relu", inputs: [input], outputs: [output]) }

    /// The import error's message, failing the test when the model imports.
    func refusal(_ model: HandMadeModel, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        do {
            _ = try Importer.decode(model.bytes(), library: library)
            XCTFail("the model imported", file: file, line: line)
            return ""
        } catch let e as OnnxError {
            XCTAssertFalse(e.message.contains("\n"), file: file, line: line)
            return e.message
        }
    }

    func testTwoNodesProducingOneNameAreRefused() throws {
        let m = HandMadeModel(inputs: [("x", f)], nodes: [relu("x", "y"), .init(op: "Neg", inputs: ["x"], outputs: ["y"])], outputs: [("y", f)])
        XCTAssertEqual(try refusal(m), "node 1 '' (Neg): output 'y' is already defined (names must be unique)")
    }

    func testADuplicateGraphInputIsRefused() throws {
        let m = HandMadeModel(inputs: [("x", f), ("x", f)], nodes: [relu("x", "y")], outputs: [("y", f)])
        XCTAssertEqual(try refusal(m), "graph input 'x' is declared twice")
    }

    func testANodeOutputNamedLikeAGraphInputIsRefused() throws {
        let m = HandMadeModel(inputs: [("x", f), ("z", f)], nodes: [relu("z", "x")], outputs: [("x", f)])
        XCTAssertEqual(try refusal(m), "node 0 '' (Relu): output 'x' is already defined (names must be unique)")
    }

    func testAnInitializerNamedTwiceIsRefused() throws {
        let m = HandMadeModel(inputs: [("x", f)], initializers: [("w", w), ("w", w)], nodes: [.init(op: "Add", inputs: ["x", "w"], outputs: ["y"])],
                              outputs: [("y", f)])
        XCTAssertEqual(try refusal(m), "initializer 'w' is named twice")
    }

    func testAnInitializerThatIsAlsoANodeOutputIsRefused() throws {
        let m = HandMadeModel(inputs: [("x", f)], initializers: [("w", w)], nodes: [relu("x", "w")], outputs: [("w", f)])
        XCTAssertEqual(try refusal(m), "node 0 '' (Relu): output 'w' is already defined (names must be unique)")
    }

    func testADeclaredOutputTypeTheGraphDoesNotComputeIsRefused() throws {
        let shape = HandMadeModel(inputs: [("x", f)], nodes: [relu("x", "y")], outputs: [("y", TensorType(.f32, [3, 2]))])
        XCTAssertEqual(try refusal(shape), "graph output 'y': declared shape [3, 2] but the graph computes \(f)")
        let rank = HandMadeModel(inputs: [("x", f)], nodes: [relu("x", "y")], outputs: [("y", TensorType(.f32, [6]))])
        XCTAssertTrue(try refusal(rank).contains("declared shape [6]"))
        let dtype = HandMadeModel(inputs: [("x", f)], nodes: [relu("x", "y")], outputs: [("y", TensorType(.f64, [2, 3]))])
        XCTAssertTrue(try refusal(dtype).contains("graph output 'y': declared element type"))
    }

    func testValidModelsStillImport() throws {
        // An initializer listed as a graph input too (ONNX IR versions before 4 require it) is one value, not two.
        let m = HandMadeModel(inputs: [("x", f), ("w", f)], initializers: [("w", w)],
                              nodes: [.init(op: "Add", inputs: ["x", "w"], outputs: ["s"]), relu("s", "y")], outputs: [("y", f)])
        let model = try Importer.decode(m.bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Add", "Relu"])
        XCTAssertEqual(model.inputs.map(\.name), ["x"])
        XCTAssertEqual(model.weights.map(\.name), ["w"])
        XCTAssertEqual(model.outputs, ["y"])
    }
}
