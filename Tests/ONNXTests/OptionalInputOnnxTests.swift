import CProtobufONNX
import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// Optional inputs in ONNX: an absent one is an empty name or left off at the end; import sets the attributes
/// that decide presence (Conv's `bias`, Gemm's `hasC`, the variadic operators' `n`), export omits the input.
final class OptionalInputOnnxTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    let f32 = { (shape: [Int]) in TensorType(.f32, shape) }

    /// The input names of each node of an ONNX file.
    func onnxInputs(_ bytes: [UInt8]) throws -> [[String]] {
        let proto = try XCTUnwrap(bytes.withUnsafeBufferPointer { onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) })
        defer { onnx__model_proto__free_unpacked(proto, nil) }
        let graph = proto.pointee.graph.pointee
        return (0..<graph.n_node).map { k in
            let node = graph.node[k]!.pointee
            return (0..<node.n_input).map { String(cString: node.input[$0]!) }
        }
    }

    func testAbsentInputsImportAndExportBack() throws {
        let w = Tensor(dtype: .f32, shape: [1, 1, 2, 2], doubles: [1, 0, 0, 1])
        let b = Tensor(dtype: .f32, shape: [3, 3], doubles: Array(repeating: 1, count: 9))
        let hand = HandMadeModel(
            opset: 13, inputs: [("x", f32([1, 1, 4, 4])), ("a", f32([3, 3])), ("m", f32([3])), ("p", f32([3, 1]))],
            initializers: [("w", w), ("b", b)],
            nodes: [.init(op: "Conv", inputs: ["x", "w", ""], outputs: ["c"]),
                    .init(op: "Gemm", inputs: ["a", "b"], outputs: ["g"]),
                    .init(op: "Max", inputs: ["m", "p", "m"], outputs: ["mx"]),
                    .init(op: "Sum", inputs: ["m"], outputs: ["s"])],
            outputs: [("c", f32([1, 1, 3, 3])), ("g", f32([3, 3])), ("mx", f32([3, 3])), ("s", f32([3]))])
        let model = try Importer.decode(try hand.bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.inputs.count), [2, 2, 3, 1])
        XCTAssertEqual(model.nodes[0].attributes["bias"], .int(0))
        XCTAssertEqual(model.nodes[1].attributes["hasC"], .int(0))
        XCTAssertEqual(model.nodes[2].attributes["n"], .int(3))
        XCTAssertEqual(model.nodes[3].attributes["n"], .int(1))
        // The text format keeps the attributes, and export leaves the absent inputs off.
        XCTAssertEqual(try TextReader.read(TextWriter.write(model)), model)
        let bytes = try Exporter.export(model, library: library)
        XCTAssertEqual(try onnxInputs(bytes).map(\.count), [2, 2, 3, 1])
        XCTAssertEqual(try Importer.decode(bytes, library: library), model)
    }

    func testPresentOptionalInputsKeepTheirAttributeAtOne() throws {
        let hand = HandMadeModel(
            opset: 13, inputs: [("a", f32([2, 2])), ("b", f32([2, 2])), ("c", f32([2]))],
            nodes: [.init(op: "Gemm", inputs: ["a", "b", "c"], outputs: ["g"])], outputs: [("g", f32([2, 2]))])
        let model = try Importer.decode(try hand.bytes(), library: library)
        XCTAssertEqual(model.nodes[0].attributes["hasC"], .int(1))
        XCTAssertEqual(model.nodes[0].inputs.count, 3)
    }

    func testMoreInputsThanTheSpecTakesIsRefused() throws {
        let hand = HandMadeModel(
            opset: 13, inputs: [("m", f32([3]))],
            nodes: [.init(op: "Max", inputs: ["m", "m", "m", "m", "m"], outputs: ["y"])], outputs: [("y", f32([3]))])
        XCTAssertThrowsError(try Importer.decode(try hand.bytes(), library: library)) { error in
            XCTAssertTrue("\(error)".contains("has 5 inputs, the spec maps 4"), "\(error)")
        }
    }

    func testAGapInAVariadicOperatorIsRefused() throws {
        let hand = HandMadeModel(
            opset: 13, inputs: [("m", f32([3]))],
            nodes: [.init(op: "Max", inputs: ["m", "", "m"], outputs: ["y"])], outputs: [("y", f32([3]))])
        XCTAssertThrowsError(try Importer.decode(try hand.bytes(), library: library)) { error in
            XCTAssertTrue("\(error)".contains("no instance has inputs A, C"), "\(error)")
        }
    }
}
