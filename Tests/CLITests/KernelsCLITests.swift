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
        try checkGeluForms(kernels["Gelu"] ?? [], dir)
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

    /// onnxruntime runs float64 Gelu by expanding it into its function body, whose Erf has no float64 kernel:
    /// the table must list exactly the forms this onnxruntime runs.
    private func checkGeluForms(_ gelu: [String], _ dir: URL) throws {
        func runs(_ form: String) throws -> ProcessResult {
            let model = dir.appendingPathComponent("gelu-\(form).txt")
            try "graphsmith-model 1\ninput x: f64[4]\nnode y: f64[4] = Gelu(x) {approximate = \(form)}\noutput y\n"
                .write(to: model, atomically: true, encoding: .utf8)
            return try Graphsmith.run(["run", model.path, "--backend", "onnxruntime", "--specs", repositorySpecs])
        }
        let none = try runs("none"), tanh = try runs("tanh")
        switch (none.status == 0, tanh.status == 0) {
        case (true, true): XCTAssertTrue(gelu.contains("f64->f64"), "\(gelu)")
        case (false, true):
            XCTAssertTrue(none.stderr.contains("NOT_IMPLEMENTED"), none.stderr)
            XCTAssertFalse(gelu.contains("f64->f64"), "\(gelu)")
            XCTAssertTrue(gelu.contains("f64->f64 approximate=tanh"), "\(gelu)")
        case (_, false): XCTAssertFalse(gelu.contains { $0.hasPrefix("f64->f64") && !$0.hasSuffix("=none") }, "\(gelu)")
        }
    }

    func testKernelTableRestrictsAttributesAndCoverage() throws {
        let dir = try temporaryDirectory(self)
        let table = dir.appendingPathComponent("k.json")
        let entries = ["Gelu": ["f32->f32 approximate=tanh"], "Relu": ["f32->f32"]]
        try JSONSerialization.data(withJSONObject: entries).write(to: table)
        let out = dir.appendingPathComponent("m")
        let gen = try Graphsmith.run(["gen", "--kernels", table.path, "--count", "5", "--out", out.path, "--specs", repositorySpecs])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        var gelus = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("= Gelu(") {
                gelus += 1
                XCTAssertTrue(line.contains("approximate = tanh"), String(line))
            }
        }
        XCTAssertGreaterThan(gelus, 0)
        // Denominators count only what the table allows: two operators, and Gelu's one allowed bin.
        let coverage = try Graphsmith.run(["coverage", out.path, "--kernels", table.path, "--specs", repositorySpecs])
        XCTAssertEqual(coverage.status, 0, coverage.stderr)
        XCTAssertTrue(coverage.stdout.contains("operators: 2/2 (100.0%)"), coverage.stdout)
        XCTAssertTrue(coverage.stdout.contains("attribute bins: 1/1 (100.0%)"), coverage.stdout)
        try "{\"Relu\": [\"f32->f32 alpha\"]}".write(to: table, atomically: true, encoding: .utf8)
        let bad = try Graphsmith.run(["gen", "--kernels", table.path, "--out", out.path, "--specs", repositorySpecs])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.errorLines.count, 1, bad.stderr)
    }
}
