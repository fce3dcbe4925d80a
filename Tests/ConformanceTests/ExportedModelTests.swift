import Backends
import Conformance
import Foundation
import SpecLib
import XCTest
import TestSupport

/// Models exported by `torch.onnx.export` from small PyTorch graphs (Scripts/export-fixtures.py), with
/// onnxruntime's outputs: each must import, run on the reference and agree within the runner's tolerance.
/// The fixtures are committed, so this needs neither torch nor Python.
final class ExportedModelTests: XCTestCase {
    /// Tests/Fixtures/exported, found from this file's path.
    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/exported")

    func makeRunner() throws -> ConformanceRunner {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        return ConformanceRunner(library: library, backend: ReferenceBackend(library: library))
    }

    func testEveryExportedModelAgreesWithOnnxruntime() throws {
        let runner = try makeRunner()
        let folders = try ConformanceRunner.testFolders(Self.fixtures.path)
        // A floor, so an emptied or misplaced fixture folder cannot pass vacuously (90 are committed).
        XCTAssertGreaterThanOrEqual(folders.count, 90)
        let results = folders.map { runner.run(folder: $0) }
        print("exported models: " + ConformanceSummary(results).line)
        for r in results where r.status != .passed {
            XCTFail("\(r.name) is \(r.status.rawValue): \(r.reason ?? "")")
        }
    }

    /// The comparison can fail: a fixture whose stored output was altered must be reported as failed.
    func testAlteredOutputIsCaught() throws {
        let runner = try makeRunner()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("gs-exported-\(UUID().uuidString)/test_mlp")
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("test_mlp"), to: copy)
        XCTAssertEqual(runner.run(folder: copy.path).status, .passed, "the unaltered copy must pass")

        // raw_data is the TensorProto's last field, so the file's last byte is the top byte of the last float32
        // (little-endian): flipping its top bit negates that softmax probability, far outside any tolerance.
        let output = copy.appendingPathComponent("test_data_set_0/output_0.pb")
        var bytes = [UInt8](try Data(contentsOf: output))
        bytes[bytes.count - 1] ^= 0x80
        try Data(bytes).write(to: output)
        let result = runner.run(folder: copy.path)
        XCTAssertEqual(result.status, .failed, result.reason ?? "")
    }
}
