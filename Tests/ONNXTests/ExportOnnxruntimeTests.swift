import Foundation
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import ONNX
import TestSupport

/// Exports instances of every spec, then checks them with onnx.checker and onnxruntime against the reference.
final class ExportOnnxruntimeTests: XCTestCase {
    func testEverySpecExportsChecksAndMatchesOnnxruntime() throws {
        let library = try SpecLibrary.load(directory: repositoryRoot.appendingPathComponent("Specs").path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gs-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(seed: 2024)
        var cases = 0
        for spec in library.operators {
            for k in 0..<4 {
                // The first instances use the dtypes every runtime has kernels for (float first, then integer first:
                // onnxruntime's OneHot has no all-f32 kernel); the rest any dtype.
                let preferred: [DType] = k == 0 ? [.f32, .i64, .bool] : k == 1 ? [.i64, .f32, .bool] : []
                let sampler = InstanceSampler(spec: spec, preferring: preferred)
                guard let instance = sampler.sample(using: &rng) else { return XCTFail("no instance of \(spec.name)") }
                try writeCase(instance, dir.appendingPathComponent("\(spec.name)_\(k)"), library, &rng)
                cases += 1
            }
        }
        let results = try runChecker(dir)
        try XCTSkipIf(results == nil && ProcessInfo.processInfo.environment["CI"] == nil, "onnx/onnxruntime not installed")
        let rows = try XCTUnwrap(results, "onnx/onnxruntime must be installed in CI")
        XCTAssertEqual(rows.count, cases)
        // onnxruntime lacks kernels for some dtypes (Acos on f64, ...): those runs say nothing about the export.
        func unimplemented(_ row: [String: Any]) -> Bool {
            let ort = row["ort"] as? String ?? ""
            // onnxruntime 1.32 builds an invalid graph when it widens some float16 ops (Softplus):
            // its own bug, reported in the issue note, not an export problem.
            // A kernel that exists but refuses a dtype says so at run time ("MLFloat16 data type is not supported with
            // ScatterElements opset 16 when reduction is 'add'"): a missing kernel too.
            return ort.contains("NOT_IMPLEMENTED") || ort.hasPrefix("skip:") || ort.contains("InsertedPrecisionFreeCast")
                || ort.contains("data type is not supported")
        }
        let failures = rows.filter { $0["checker"] as? String != "ok" || ($0["ort"] as? String != "ok" && !unimplemented($0)) }
        XCTAssertEqual(failures.count, 0, failures.prefix(60).map { "\($0["case"]!): \($0["checker"]!) | \($0["ort"]!) | \($0["detail"] ?? "")" }.joined(separator: "\n"))
        // Every spec has at least one instance that onnxruntime ran and agreed on.
        let agreed = Set(rows.filter { $0["ort"] as? String == "ok" }.compactMap { ($0["case"] as? String)?.split(separator: "_").first.map(String.init) })
        XCTAssertEqual(Set(library.operators.map(\.name)).subtracting(agreed).sorted(), [])
        print("export check: \(rows.count) cases, \(rows.count - failures.count - rows.filter(unimplemented).count) ok on onnxruntime, \(rows.filter(unimplemented).count) without an onnxruntime kernel, with bf16 I/O or hitting onnxruntime's float16 cast bug, \(failures.count) failed")
    }

    func writeCase(_ instance: OpInstance, _ folder: URL, _ library: SpecLibrary, _ rng: inout SeededRNG) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var inputs = DomainInputs.sample(for: instance, using: &rng)
        var outputs = try OpEvaluation.evaluate(instance, inputs: inputs)
        // Weights of the spec become initializers; the rest are graph inputs.
        var model = Model()
        var names: [String] = []
        for (port, tensor) in zip(instance.inputPorts, inputs) {
            let name = "in_\(port.name)"
            names.append(name)
            if port.role == .weight { model.weights.append(Weight(name, tensor)) } else { model.inputs.append(ValueInfo(name, tensor.type)) }
        }
        let outs = instance.outputTypes.enumerated().map { ValueInfo("out_\($0.offset)", $0.element) }
        model.nodes = [Node(op: instance.name, inputs: names, outputs: outs, attributes: instance.attributes)]
        model.outputs = outs.map(\.name)
        try Exporter.write(model, library: library, path: folder.appendingPathComponent("model.onnx").path)
        inputs = zip(instance.inputPorts, inputs).filter { $0.0.role != .weight }.map(\.1)
        for (k, (info, t)) in zip(model.inputs, inputs).enumerated() {
            try TensorProtoCodec.write(t, name: info.name, path: folder.appendingPathComponent("input_\(k).pb").path)
        }
        for (k, t) in outputs.enumerated() {
            try TensorProtoCodec.write(t, name: "out_\(k)", path: folder.appendingPathComponent("expected_\(k).pb").path)
        }
        let tol = Tolerance.default(for: outputs.first?.dtype ?? .f32)
        try "\(max(tol.rtol, 1e-5)) \(max(tol.atol, 1e-6))".write(to: folder.appendingPathComponent("tolerance.txt"), atomically: true, encoding: .utf8)
        outputs.removeAll()
    }

    /// Runs Scripts/onnx_check.py; nil when python, onnx or onnxruntime is missing.
    func runChecker(_ dir: URL) throws -> [[String: Any]]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", repositoryRoot.appendingPathComponent("Scripts/onnx_check.py").path, dir.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 3 || p.terminationStatus == 127 { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}
