import Foundation
import ModelIR
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// An adapter that reads torch modules gets the model written by `TorchEmitter` (model.py, the prelude inside), and
/// a model with an operator that has no `torch` line is unsupported before any host sees it.
final class TorchFormatTests: XCTestCase {
    /// Relu from the repository, and a made-up operator without a torch line.
    func library() throws -> SpecLibrary {
        let repo = try SpecLibrary.load(directory: repositorySpecs)
        let source = "op NoTorch\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"
        let bare = try Checker.check(try Parser.parse(path: "NoTorch.op", source: source), family: "test")
        return SpecLibrary([try XCTUnwrap(repo.spec(named: "Relu")), bare])
    }

    /// A backend whose host cannot start (no such interpreter): what it declares is the default, and nothing runs.
    func backend(_ library: SpecLibrary) -> ExternalBackend {
        let host = WorkerHost(python: "/nonexistent/python", folder: repositoryRoot.appendingPathComponent("Python/graphsmith_worker").path)
        let adapter = ExternalBackend.Adapter(name: "torch-test", file: host.adapters + "/pytorch.py", variant: "torch-eager", format: .torch)
        return ExternalBackend(adapter: adapter, library: library, host: host, timeout: 5)
    }

    func model(_ op: String) -> Model {
        let t = TensorType(.f32, [2, 3])
        return Model(inputs: [ValueInfo("x", t)], nodes: [Node(op: op, inputs: ["x"], outputs: [ValueInfo("y", t)])], outputs: ["y"])
    }

    func testTheModelIsWrittenAsATorchModule() throws {
        let lib = try library()
        let prepared = try backend(lib).exported(model("Relu"))
        XCTAssertTrue(prepared.path.hasSuffix("/model.py"))
        let text = try String(contentsOfFile: prepared.path, encoding: .utf8)
        XCTAssertTrue(text.contains("        t0 = torch.relu(x0)  # Relu\n"), text)
        XCTAssertTrue(text.contains("def read_pb(path):"), "the prelude is copied in")
    }

    func testAnOperatorWithoutATorchLineIsUnsupported() throws {
        let lib = try library()
        XCTAssertThrowsError(try backend(lib).exported(model("NoTorch"))) { error in
            let e = error as? BackendError
            XCTAssertEqual(e?.kind, .unsupported)
            XCTAssertEqual(e?.stage, .compile)
            XCTAssertEqual(e?.message, "torch code: node 0: operator 'NoTorch' has no torch mapping")
        }
    }

    func testStoredAdaptersWithoutAFormatReadAsOnnx() throws {
        let old = #"{"name": "openvino", "file": "/x/openvino.py", "variant": null}"#
        let adapter = try JSONDecoder().decode(ExternalBackend.Adapter.self, from: Data(old.utf8))
        XCTAssertEqual(adapter.modelFormat, .onnx)
        let torch = ExternalBackend.Adapter(name: "t", file: "/x/pytorch.py", format: .torch)
        let back = try JSONDecoder().decode(ExternalBackend.Adapter.self, from: JSONEncoder().encode(torch))
        XCTAssertEqual(back.modelFormat, .torch)
    }
}
