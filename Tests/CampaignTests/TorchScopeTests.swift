import Compiler
import Generator
import SpecLang
import SpecLib
import TestSupport
import XCTest
@testable import Backends
@testable import Campaign

/// A campaign with a backend that reads torch modules generates only what such a module can hold.
final class TorchScopeTests: XCTestCase {
    func testOperatorsWithoutATorchLineAreLeftOutOnlyForTorchBackends() throws {
        let repo = try SpecLibrary.load(directory: repositorySpecs)
        let source = "op NoTorch\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"
        let bare = try Checker.check(try Parser.parse(path: "NoTorch.op", source: source), family: "test")
        let library = SpecLibrary([try XCTUnwrap(repo.spec(named: "Relu")), bare])
        // No interpreter: the torch host cannot start, so it declares nothing (no dtypes refused).
        let host = WorkerHost(python: "/nonexistent/python", folder: repositoryRoot.appendingPathComponent("Python/graphsmith_worker").path)
        let torch = ExternalBackend.Adapter(name: "torch-eager", file: host.adapters + "/pytorch.py", variant: "torch-eager", format: .torch)
        let registry = BackendRegistry(host: host, entries: [("vm-O0", .compiler(.O0, .vm)), ("torch-eager", .external(torch))],
                                       externalProblem: nil)
        var settings = GenerationSettings()
        settings.exclude = ["Zed"]
        let plain = TorchScope.narrowed(settings, backends: ["vm-O0"], registry: registry, library: library, capabilities: [:])
        XCTAssertEqual(plain.settings, settings)
        XCTAssertNil(plain.note)
        let scoped = TorchScope.narrowed(settings, backends: ["vm-O0", "torch-eager"], registry: registry, library: library,
                                         capabilities: ["torch-eager": BackendCapabilities(rounding: .own, isolation: .worker)])
        XCTAssertEqual(scoped.settings.exclude, ["NoTorch", "Zed"])
        XCTAssertEqual(scoped.settings.dtypes, [])
        XCTAssertEqual(scoped.note, "note: torch-eager read torch modules: models leave out 1 operators without a torch line (NoTorch)")
    }
}
