import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// onnxruntime through the worker host and its shipped adapter.
final class OnnxRuntimeAdapterTests: XCTestCase {
    var library: SpecLibrary!

    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    /// A backend that runs, or a skip outside CI when onnxruntime is missing (CI installs it).
    func backend(optimized: Bool = true, timeout: Double = 60) throws -> ExternalBackend {
        try availableOrSkip(ExternalBackend.onnxruntime(library: library, optimized: optimized, timeout: timeout), "onnxruntime")
    }

    let model = addReluModel

    func testAgreesWithReferenceAtBothLevels() throws {
        let inputs = model.randomInputs(seed: 5)
        let expected = try ReferenceBackend(library: library).run(model, inputs: inputs)[0]
        for optimized in [true, false] {
            let actual = try backend(optimized: optimized).run(model, inputs: inputs)[0]
            XCTAssertTrue(Compare.allClose(actual: actual, expected: expected, tolerance: .default(for: .f32)).passed)
            let a = inputs["a"]!.doubles, b = inputs["b"]!.doubles
            XCTAssertEqual(actual.doubles, (0..<6).map { Double(Float(max(0, Float(a[$0]) + Float(b[$0 % 3])))) })
        }
    }

    func testCrashIsReportedAndWorkerRestarts() throws {
        let b = try backend()
        XCTAssertThrowsError(try b.debugRequest("crash")) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .crash, "\(error)")
        }
        XCTAssertNoThrow(try b.run(model, inputs: model.randomInputs(seed: 1)))
    }

    func testHangIsReportedAndWorkerRestarts() throws {
        let b = try backend(timeout: 2)
        XCTAssertThrowsError(try b.debugRequest("hang")) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .hang, "\(error)")
        }
        XCTAssertNoThrow(try b.run(model, inputs: model.randomInputs(seed: 1)))
    }

    /// The in-process time comes from the host's own clock (its answer's `run_s`), a positive number of milliseconds;
    /// a model the backend refuses is an error, not a time.
    func testInProcessRunTimeIsTheHostsClock() throws {
        let ort = try backend()
        let ms = try ort.bestRunMilliseconds(model, inputs: model.randomInputs(seed: 5), repeats: 3)
        XCTAssertTrue(ms > 0 && ms.isFinite, "\(ms)")
        XCTAssertThrowsError(try ort.bestRunMilliseconds(model, inputs: [:], repeats: 1))
    }

    /// A kernel onnxruntime does not have is its own classification, unsupported, not a failure; the worker goes on.
    func testUnsupportedKernelsAreClassifiedAndNotCrashes() throws {
        let b = try backend()
        let bad = Model(inputs: [ValueInfo("x", TensorType(.bf16, [2]))],
                        nodes: [Node(op: "Relu", inputs: ["x"], outputs: [ValueInfo("y", TensorType(.bf16, [2]))])], outputs: ["y"])
        XCTAssertThrowsError(try b.run(bad, inputs: bad.randomInputs(seed: 0))) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .unsupported, "\(error)")
        }
        XCTAssertNoThrow(try b.run(model, inputs: model.randomInputs(seed: 2)))
    }
}
