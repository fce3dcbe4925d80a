import Foundation
import TestSupport
import XCTest

/// `kernels` probes onnxruntime; `gen --kernels` then only uses the signatures found.
final class KernelsCLITests: XCTestCase {
    func testKernelTableRestrictsGeneration() throws {
        let dir = try temporaryDirectory(self)
        let table = dir.appendingPathComponent("k.json")
        let probe = try Graphsmith.run(["kernels", "--out", table.path, "--samples", "1", "--specs", repositorySpecs])
        if probe.status == 2 && probe.stderr.contains("onnxruntime") && ProcessInfo.processInfo.environment["CI"] == nil {
            throw XCTSkip("onnxruntime is not installed")
        }
        XCTAssertEqual(probe.status, 0, probe.stderr)
        let kernels = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: table)) as? [String: [String]])
        XCTAssertTrue(kernels["Relu"]?.contains("f32->f32") ?? false, "\(kernels["Relu"] ?? [])")
        XCTAssertFalse(kernels["Relu"]?.contains("bf16->bf16") ?? true, "bf16 cannot cross numpy, so it is never listed")
        // Keep only f32 Relu and Add: every generated node must use exactly those signatures.
        let small = ["Relu": ["f32->f32"], "Add": ["f32,f32->f32"]]
        try JSONSerialization.data(withJSONObject: small).write(to: table)
        let out = dir.appendingPathComponent("m")
        let gen = try Graphsmith.run(["gen", "--kernels", table.path, "--include", "Relu,Add", "--count", "5", "--out", out.path, "--specs", repositorySpecs])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("input") || line.hasPrefix("node") {
                XCTAssertTrue(line.contains("f32["), String(line))
            }
        }
    }
}
