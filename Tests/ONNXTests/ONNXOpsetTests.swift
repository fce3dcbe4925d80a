import CProtobufONNX
import ModelIR
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// Each node is read at the model's declared opset: an operator whose definition there means something other than
/// what its spec implements is refused, and so is an opset that is missing, not positive, or newer than graphsmith knows.
final class ONNXOpsetTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    let x = TensorType(.f32, [2, 3])

    /// One `op` node from input `x` to output `y`, at `opset`.
    func unary(_ op: String, opset: Int?, ints: [(String, Int)] = []) throws -> [UInt8] {
        try HandMadeModel(opset: opset, inputs: [("x", x)], nodes: [.init(op: op, inputs: ["x"], outputs: ["y"], ints: ints)],
                          outputs: [("y", x)]).bytes()
    }

    func importError(_ bytes: [UInt8]) -> OnnxError? {
        do {
            _ = try Importer.decode(bytes, library: library)
            return nil
        } catch {
            return error as? OnnxError
        }
    }

    func testOldSoftmaxIsRefusedNamingNodeOperatorAndBothOpsets() throws {
        for opset in [1, 11] {
            let e = try XCTUnwrap(importError(unary("Softmax", opset: opset, ints: [("axis", 1)])), "opset \(opset) Softmax imported")
            XCTAssertTrue(e.message.contains("node 0"), e.message)
            XCTAssertTrue(e.message.contains("opset \(opset) Softmax differs from the opset-13 semantics"), e.message)
            XCTAssertFalse(e.message.contains("\n"))
        }
    }

    func testSoftmaxImportsAtEveryOpsetWithTheSameMeaning() throws {
        for opset in [13, 18, OpsetRange.newestOnnxOpset] {
            let model = try Importer.decode(unary("Softmax", opset: opset, ints: [("axis", 1)]), library: library)
            XCTAssertEqual(model.nodes.map(\.op), ["Softmax"])
        }
    }

    func testMissingNonPositiveAndUnknownOpsetsAreRefused() throws {
        let cases: [(Int?, String)] = [(nil, "declares no opset"), (0, "opset 0 is not an ONNX opset"), (-5, "opset -5 is not an ONNX opset"),
                                       (999, "opset 999 is newer than opset \(OpsetRange.newestOnnxOpset)"),
                                       (OpsetRange.newestOnnxOpset + 1, "is newer than")]
        for (opset, expected) in cases {
            let e = try XCTUnwrap(importError(unary("Relu", opset: opset)), "opset \(String(describing: opset)) imported")
            XCTAssertTrue(e.message.contains(expected), e.message)
        }
    }

    func testTheDefaultDomainDeclaredAtTwoOpsetsIsRefused() throws {
        func model(_ more: [(String, Int)]) throws -> [UInt8] {
            try HandMadeModel(opset: 13, moreOpsets: more, inputs: [("x", x)], nodes: [.init(op: "Relu", inputs: ["x"], outputs: ["y"])],
                              outputs: [("y", x)]).bytes()
        }
        // 'ai.onnx' is the default domain under its other name: which opset would the nodes mean?
        let e = try XCTUnwrap(importError(model([("ai.onnx", 1)])))
        XCTAssertEqual(e.message, "model declares the default ONNX domain at two opsets, 13 and 1")
        // The same opset twice, or another domain's opset, is no conflict.
        XCTAssertNoThrow(try Importer.decode(model([("ai.onnx", 13), ("com.example", 1)]), library: library))
    }

    func testAnOperatorBelowItsRangeIsRefusedAndInsideItImports() throws {
        // Relu means the same from opset 6 (later versions only add dtypes); opset 1's has consumed_inputs.
        XCTAssertEqual(try Importer.decode(unary("Relu", opset: 6), library: library).nodes.map(\.op), ["Relu"])
        let e = try XCTUnwrap(importError(unary("Relu", opset: 1)))
        XCTAssertTrue(e.message.contains("opset 1 Relu differs from the opset-14 semantics"), e.message)
    }

    /// Every spec's exported instance imports again at the lowest and the highest opset of its line's range, so
    /// the recorded ranges never refuse what graphsmith itself writes (a model takes the highest of its nodes').
    func testExportedInstancesImportAcrossTheirWholeRange() throws {
        var rng = SeededRNG(seed: 1414)
        for spec in library.operators {
            guard let instance = InstanceSampler(spec: spec).sample(using: &rng), let mapping = try instance.onnxMapping() else { continue }
            let bytes = try Exporter.export(oneNodeModel(instance, &rng), library: library)
            for opset in [mapping.acceptedOpsets.lowest, mapping.opset, mapping.acceptedOpsets.highest ?? OpsetRange.newestOnnxOpset] {
                XCTAssertNoThrow(try Importer.decode(Self.withOpset(bytes, opset), library: library), "\(spec.name) at opset \(opset)")
            }
        }
    }

    /// `bytes` with its default-domain opset set to `opset`.
    static func withOpset(_ bytes: [UInt8], _ opset: Int) -> [UInt8] {
        guard let proto = bytes.withUnsafeBufferPointer({ onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }) else { return bytes }
        defer { onnx__model_proto__free_unpacked(proto, nil) }
        proto.pointee.opset_import[0]!.pointee.version = Int64(opset)
        var out = [UInt8](repeating: 0, count: onnx__model_proto__get_packed_size(proto))
        out.withUnsafeMutableBufferPointer { _ = onnx__model_proto__pack(proto, $0.baseAddress) }
        return out
    }
}
