import CProtobufONNX
import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// Each node is exported by the first `onnx` line of its spec that maps its instance, so a model's opset is the
/// highest its nodes need: integer Mod is opset 13, float Mod with fmod = 0 needs 28.
final class OpsetTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func model(_ nodes: String, dtype: String) throws -> Model {
        try TextReader.read("""
            graphsmith-model 1
            input a: \(dtype)[2, 3]
            input b: \(dtype)[3]
            \(nodes)
            """)
    }

    /// The opset the exported file imports.
    func opset(_ model: Model) throws -> Int {
        let bytes = try Exporter.export(model, library: library)
        let proto = try XCTUnwrap(bytes.withUnsafeBufferPointer { onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) })
        defer { onnx__model_proto__free_unpacked(proto, nil) }
        // It imports back (with every default attribute spelled out).
        let back = try Importer.decode(bytes, library: library)
        XCTAssertEqual(back.nodes.map(\.op), model.nodes.map(\.op))
        XCTAssertEqual(back.nodes.map(\.outputs), model.nodes.map(\.outputs))
        return try XCTUnwrap(Importer.opsetVersion(proto.pointee))
    }

    let intMod = "node c: i32[2, 3] = Mod(a, b)\noutput c"
    let floatFmod = "node c: f32[2, 3] = Mod(a, b) {fmod = 1}\noutput c"
    let floatMod = "node c: f32[2, 3] = Mod(a, b)\noutput c"

    func testEachNodeTakesTheLowestOpsetThatExpressesIt() throws {
        XCTAssertEqual(try opset(model(intMod, dtype: "i32")), 13)
        XCTAssertEqual(try opset(model(floatFmod, dtype: "f32")), 13)
        XCTAssertEqual(try opset(model(floatMod, dtype: "f32")), 28)
        // The model takes the highest of its nodes.
        XCTAssertEqual(try opset(model("node c: f32[2, 3] = Mod(a, b)\nnode d: f32[2, 3] = Mod(c, b) {fmod = 1}\noutput d", dtype: "f32")), 28)
        XCTAssertEqual(try opset(model("node c: bool[2, 3] = Equal(a, b)\noutput c", dtype: "i64")), 13)
        XCTAssertEqual(try opset(model("node c: i64[2] = ReduceMax(a) {axes = [1], keepdims = 0}\noutput c", dtype: "i64")), 18)
        XCTAssertEqual(try opset(model("node c: bool[2] = ReduceMax(a) {axes = [1], keepdims = 0}\noutput c", dtype: "bool")), 20)
    }

    func testLowOpsetModelsPassTheOnnxChecker() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gs-opset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (k, (nodes, dtype)) in [(intMod, "i32"), (intMod.replacingOccurrences(of: "i32", with: "u8"), "u8"), (floatFmod, "f32"), (floatMod, "f32")].enumerated() {
            let path = dir.appendingPathComponent("m\(k).onnx").path
            try Exporter.write(try model(nodes, dtype: dtype), library: library, path: path)
            paths.append(path)
        }
        let script = """
            import sys, onnx
            for p in sys.argv[1:]:
                m = onnx.load(p)
                onnx.checker.check_model(m, full_check=True)
                print(m.opset_import[0].version)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + paths
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try XCTSkipIf(message.contains("No module named 'onnx'") && ProcessInfo.processInfo.environment["CI"] == nil, "onnx not installed")
        XCTAssertEqual(p.terminationStatus, 0, message)
        XCTAssertEqual(String(decoding: data, as: UTF8.self).split(separator: "\n"), ["13", "13", "13", "28"])
    }
}
