import Foundation
import TestSupport
import XCTest

/// The ONNX-facing commands: convert, run on .onnx files, conformance.
final class OnnxCLITests: XCTestCase {
    let model = """
        graphsmith-model 1
        input x: f32[2, 3]
        weight b: f32[3] = 3f800000 c0000000 3e800000
        node s: f32[2, 3] = Add(x, b)
        node y: f32[2, 3] = LeakyRelu(s) {alpha = 0.125}
        output y

        """

    func testConvertRoundTripsThroughOnnx() throws {
        let dir = try temporaryDirectory(self)
        let text = dir.appendingPathComponent("m.txt"), onnx = dir.appendingPathComponent("m.onnx"), back = dir.appendingPathComponent("back.txt")
        try model.write(to: text, atomically: true, encoding: .utf8)
        let toOnnx = try Graphsmith.run(["convert", text.path, onnx.path, "--specs", repositorySpecs])
        XCTAssertEqual(toOnnx.status, 0, toOnnx.stderr)
        let toText = try Graphsmith.run(["convert", onnx.path, back.path, "--specs", repositorySpecs])
        XCTAssertEqual(toText.status, 0, toText.stderr)
        XCTAssertEqual(try String(contentsOf: back, encoding: .utf8), model)
        let run = try Graphsmith.run(["run", onnx.path, "--seed", "4", "--specs", repositorySpecs])
        let runText = try Graphsmith.run(["run", text.path, "--seed", "4", "--specs", repositorySpecs])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").dropFirst(), runText.stdout.split(separator: "\n").dropFirst())
    }

    func testCorruptOnnxIsAOneLineUserError() throws {
        let dir = try temporaryDirectory(self)
        let text = dir.appendingPathComponent("m.txt"), onnx = dir.appendingPathComponent("m.onnx")
        try model.write(to: text, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Graphsmith.run(["convert", text.path, onnx.path, "--specs", repositorySpecs]).status, 0)
        let bytes = try Data(contentsOf: onnx)
        try bytes.prefix(bytes.count / 2).write(to: onnx)
        let result = try Graphsmith.run(["run", onnx.path, "--specs", repositorySpecs])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("error: \(onnx.path): "), result.stderr)
    }

    func testUnknownBackendAndEmptyConformanceDirectory() throws {
        let dir = try temporaryDirectory(self)
        let bogus = try Graphsmith.run(["run", "--demo", "--backend", "bogus", "--specs", repositorySpecs])
        XCTAssertEqual(bogus.status, 2)
        XCTAssertEqual(bogus.errorLines.count, 1, bogus.stderr)
        let empty = try Graphsmith.run(["conformance", dir.path, "--specs", repositorySpecs])
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("holds no test_* folders"), empty.stderr)
    }

    func testConformanceOnAHandMadeSuite() throws {
        let dir = try temporaryDirectory(self)
        let test = dir.appendingPathComponent("test_leaky")
        let data = test.appendingPathComponent("test_data_set_0")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let text = dir.appendingPathComponent("m.txt")
        try model.write(to: text, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Graphsmith.run(["convert", text.path, test.appendingPathComponent("model.onnx").path, "--specs", repositorySpecs]).status, 0)
        // input x = [[-2, 0, 1], [4, -8, 3]]; y = LeakyRelu(x + [1, -2, 0.25], 0.125), worked by hand.
        try writeTensorProto(data.appendingPathComponent("input_0.pb"), name: "x", shape: [2, 3], values: [-2, 0, 1, 4, -8, 3])
        try writeTensorProto(data.appendingPathComponent("output_0.pb"), name: "y", shape: [2, 3], values: [-0.125, -0.25, 1.25, 5, -1.25, 3.25])
        let pass = try Graphsmith.run(["conformance", dir.path, "--json", "--specs", repositorySpecs])
        XCTAssertEqual(pass.status, 0, pass.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(pass.stdout.utf8)) as? [String: Any])
        let tests = try XCTUnwrap(report["tests"] as? [String: [[String: Any]]])
        XCTAssertEqual(tests["passed"]?.count, 1)
        XCTAssertEqual(Set(tests.keys), ["passed", "failed", "unsupported-variant", "no-spec", "foreign-dtype"])
        // A wrong expected value makes it fail, with exit code 1.
        try writeTensorProto(data.appendingPathComponent("output_0.pb"), name: "y", shape: [2, 3], values: [-0.125, -0.25, 1.25, 5, -1.25, 3.5])
        let fail = try Graphsmith.run(["conformance", dir.path, "--specs", repositorySpecs])
        XCTAssertEqual(fail.status, 1)
        XCTAssertTrue(fail.stdout.contains("failed test_leaky: test_data_set_0: output 0 element 5"), fail.stdout)
    }

    /// A float32 TensorProto with raw_data, encoded by hand (fields 1 dims, 2 data_type, 8 name, 9 raw_data).
    func writeTensorProto(_ url: URL, name: String, shape: [Int], values: [Float]) throws {
        var b: [UInt8] = []
        func varint(_ v: UInt64) { var v = v; while v >= 0x80 { b.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }; b.append(UInt8(v)) }
        for d in shape { b.append(0x08); varint(UInt64(d)) }
        b.append(0x10); varint(1)
        b.append(0x42); varint(UInt64(name.utf8.count)); b += Array(name.utf8)
        let raw = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        b.append(0x4A); varint(UInt64(raw.count)); b += raw
        try Data(b).write(to: url)
    }
}
