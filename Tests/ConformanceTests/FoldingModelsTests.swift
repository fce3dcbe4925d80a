import Backends
import Foundation
import SpecLib
import XCTest
@testable import Conformance
import TestSupport

/// Models with the shape arithmetic exporters write (`Scripts/make-folding-models.py`, outputs from onnxruntime)
/// import, folded, and agree with onnxruntime on the reference and the compiler.
final class FoldingModelsTests: XCTestCase {
    func testExporterShapeArithmeticImportsAndMatchesOnnxruntime() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gs-folding-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try makeModels(dir)
        try XCTSkipIf(!made && ProcessInfo.processInfo.environment["CI"] == nil, "onnx, onnxruntime or numpy is not installed")
        XCTAssertTrue(made, "onnx, onnxruntime and numpy must be installed in CI")
        let library = try SpecLibrary.load(directory: repositoryRoot.appendingPathComponent("Specs").path)
        let folders = try ConformanceRunner.testFolders(dir.path)
        XCTAssertEqual(folders.count, 10)
        let backends: [any Backend] = [ReferenceBackend(library: library), CompilerBackend(library: library)]
        for backend in backends {
            let runner = ConformanceRunner(library: library, backend: backend)
            for result in folders.map(runner.run) {
                XCTAssertEqual(result.status, .passed, "\(backend.name) \(result.name): \(result.reason ?? "")")
            }
        }
    }

    /// Runs the script with $GRAPHSMITH_PYTHON, else python3; false when it fails (packages missing).
    func makeModels(_ dir: URL) throws -> Bool {
        let env = ProcessInfo.processInfo.environment
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let python = env["GRAPHSMITH_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        p.arguments = [python, repositoryRoot.appendingPathComponent("Scripts/make-folding-models.py").path, dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
