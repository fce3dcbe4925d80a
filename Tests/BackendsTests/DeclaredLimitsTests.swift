import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// What an adapter declares it cannot run is unsupported, and the model is never sent to it.
final class DeclaredLimitsTests: XCTestCase {
    func caps(opset: Int? = nil, dtypes: Set<DType> = []) -> BackendCapabilities {
        var c = BackendCapabilities(rounding: .own, isolation: .worker, maxOpset: opset)
        c.unsupportedDTypes = dtypes
        return c
    }

    func testAnOpsetAboveTheCeilingIsRefused() {
        XCTAssertNotNil(caps(opset: 13).refusal(addReluModel, opset: 14))
        XCTAssertNil(caps(opset: 14).refusal(addReluModel, opset: 14))
        XCTAssertNil(caps().refusal(addReluModel, opset: 30))
    }

    func testAnUnsupportedDTypeAnywhereIsRefused() {
        XCTAssertNotNil(caps(dtypes: [.f32]).refusal(addReluModel, opset: 14), "inputs and values are f32")
        XCTAssertNil(caps(dtypes: [.f64]).refusal(addReluModel, opset: 14))
        // Only the dtype attribute names f64 (the output is declared f32 here, so no value does).
        var cast = addReluModel
        cast.nodes.append(Node(op: "Cast", inputs: ["y"], outputs: [ValueInfo("z", TensorType(.f32, [2, 3]))], attributes: ["to": .dtype(.f64)]))
        XCTAssertNotNil(caps(dtypes: [.f64]).refusal(cast, opset: 14))
    }

    /// A plugin declaring an opset ceiling below the model's, or the model's dtype unsupported: prepare refuses
    /// before the host sees the model (its prepare would fail with an error, not an unsupported kind).
    func testAPluginsDeclaredLimitsMakeTheModelUnsupportedWithoutSendingIt() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let folder = NSTemporaryDirectory() + "limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, declared) in [("ceiling", "{'max_opset': 1}"), ("nof32", "{'unsupported_dtypes': ['f32']}")] {
            let path = "\(folder)/\(name).py"
            try """
                NAME = "\(name)"
                UNSUPPORTED = []

                def version():
                    return "0.1"

                def capabilities(options):
                    return \(declared)

                def prepare(model_path, options):
                    raise RuntimeError("the model was sent")
                """.write(toFile: path, atomically: true, encoding: .utf8)
            guard case .external(let adapter) = BackendRegistry.load(plugins: [path]).entry(name) else {
                throw XCTSkip("the worker host cannot list adapters here")
            }
            let b = try availableOrSkip(ExternalBackend(adapter: adapter, library: library, timeout: 5), "the worker host")
            XCTAssertThrowsError(try b.prepare(addReluModel), name) { error in
                XCTAssertEqual((error as? BackendError)?.kind, .unsupported, "\(error)")
                XCTAssertEqual((error as? BackendError)?.stage, .compile)
            }
        }
    }
}
