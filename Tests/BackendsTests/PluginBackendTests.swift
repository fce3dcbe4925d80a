import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// Outside compilers as plugins: small adapters written by the tests (numpy only), run through the worker host as a
/// user's own compiler would be.
final class PluginBackendTests: XCTestCase {
    var library: SpecLibrary!
    var folder: String!

    override func setUpWithError() throws {
        library = try SpecLibrary.load(directory: repositorySpecs)
        folder = NSTemporaryDirectory() + "plugins-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    /// An adapter computing Add and Relu with numpy; `relu`, `prepare` and `run` are Python lines that change it.
    func plugin(_ name: String, relu: String = "np.maximum(x, 0)", prepareHook: String = "pass", runHook: String = "pass",
                unsupported: [String] = []) throws -> ExternalBackend {
        let source = """
            import os, sys, time
            import numpy as np
            import onnx

            NAME = "\(name)"
            UNSUPPORTED = [\(unsupported.map { "'\($0)'" }.joined(separator: ", "))]

            def version():
                return "0.1"

            def prepare(model_path, options):
                graph = onnx.load(model_path).graph
                \(prepareHook)
                def run(inputs):
                    \(runHook)
                    values = dict(inputs)
                    for node in graph.node:
                        if node.op_type == "Add":
                            values[node.output[0]] = values[node.input[0]] + values[node.input[1]]
                        elif node.op_type == "Relu":
                            x = values[node.input[0]]
                            values[node.output[0]] = \(relu)
                        else:
                            raise NotImplementedError(node.op_type + " is not supported by this plugin")
                    return [values[o.name] for o in graph.output]
                return run
            """
        let path = "\(folder!)/\(name).py"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let registry = BackendRegistry.load(plugins: [path])
        guard case .external(let adapter) = registry.entry(name) else {
            throw XCTSkip("the worker host cannot list adapters here: \(registry.externalProblem ?? "no reason")")
        }
        return try availableOrSkip(ExternalBackend(adapter: adapter, library: library, timeout: 5), "the worker host")
    }

    let model = addReluModel

    func expected(_ inputs: [String: Tensor]) throws -> Tensor {
        try ReferenceBackend(library: library).run(model, inputs: inputs)[0]
    }

    func testACorrectPluginAgreesWithTheReference() throws {
        let b = try plugin("good")
        XCTAssertEqual(b.version, "0.1")
        XCTAssertEqual(b.capabilities.rounding, .own)
        XCTAssertEqual(b.capabilities.isolation, .worker)
        for seed in 0..<3 as Range<UInt64> {
            let inputs = model.randomInputs(seed: seed)
            XCTAssertEqual(try b.run(model, inputs: inputs)[0], try expected(inputs))
        }
    }

    func testAMiscomputingPluginGivesWrongOutputs() throws {
        let b = try plugin("wrong", relu: "np.abs(x)")
        let inputs = model.randomInputs(seed: 4)
        let want = try expected(inputs)
        XCTAssertTrue(want.doubles.contains(0), "the inputs make some sums negative")
        XCTAssertNotEqual(try b.run(model, inputs: inputs)[0], want)
    }

    func testPrintingToStdoutDoesNotDisturbTheProtocol() throws {
        let noise = "print('noise ' * 50); sys.stdout.flush(); os.write(1, b'raw noise on fd 1\\\\n')"
        let b = try plugin("noisy", prepareHook: noise, runHook: noise)
        let inputs = model.randomInputs(seed: 1)
        XCTAssertEqual(try b.run(model, inputs: inputs)[0], try expected(inputs))
        XCTAssertEqual(try b.run(model, inputs: inputs)[0], try expected(inputs))
    }

    func testAnAbortIsACrashAndTheNextTestRunsOnANewWorker() throws {
        let b = try plugin("aborting", runHook: "os.abort() if os.environ.get('GS_NO_ABORT') is None and inputs['a'].flat[0] > 0 else None")
        var inputs = model.randomInputs(seed: 2)
        inputs["a"] = Tensor(dtype: .f32, shape: [2, 3], doubles: [1, 2, 3, 4, 5, 6])
        XCTAssertThrowsError(try b.run(model, inputs: inputs)) { error in
            let e = error as? BackendError
            XCTAssertEqual(e?.kind, .crash, "\(error)")
            XCTAssertTrue(e?.message.contains("signal 6") == true, "\(error)")
        }
        inputs["a"] = Tensor(dtype: .f32, shape: [2, 3], doubles: [-1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try b.run(model, inputs: inputs)[0], try expected(inputs))
    }

    func testASleepIsAHangAndTheNextTestRunsOnANewWorker() throws {
        let b = try plugin("sleepy", runHook: "time.sleep(3600) if inputs['a'].flat[0] > 0 else None")
        var inputs = model.randomInputs(seed: 3)
        inputs["a"] = Tensor(dtype: .f32, shape: [2, 3], doubles: [1, 2, 3, 4, 5, 6])
        XCTAssertThrowsError(try b.run(model, inputs: inputs)) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .hang, "\(error)")
        }
        inputs["a"] = Tensor(dtype: .f32, shape: [2, 3], doubles: [-1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try b.run(model, inputs: inputs)[0], try expected(inputs))
    }

    /// A compile that never ends in a process of the compiler's own (iree-compile) dies with the host on a hang.
    func testAHungCompilersChildProcessDiesWithTheHost() throws {
        let pidFile = folder! + "/child.pid"
        let b = try plugin("forking", prepareHook: "import subprocess; open('\(pidFile)', 'w').write(str(subprocess.Popen(['sleep', '600']).pid)); time.sleep(3600)")
        XCTAssertThrowsError(try b.run(model, inputs: model.randomInputs(seed: 0))) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .hang, "\(error)")
        }
        let pid = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
        var alive = true
        for _ in 0..<50 where alive {  // killed at once; reaped by init soon after
            alive = kill(pid, 0) == 0 && !((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") ?? true)
            if alive { usleep(100_000) }
        }
        XCTAssertFalse(alive, "the compiler's child process \(pid) outlived the hung host")
    }

    /// The adapter's own phrases make a failure unsupported, with the stage the host names; others are errors.
    func testUnsupportedAndErrorsAreTheAdaptersClassification() throws {
        let neg = Model(inputs: [ValueInfo("x", TensorType(.f32, [2]))],
                        nodes: [Node(op: "Neg", inputs: ["x"], outputs: [ValueInfo("y", TensorType(.f32, [2]))])], outputs: ["y"])
        let inputs = neg.randomInputs(seed: 0)
        let tolerant = try plugin("partial", unsupported: ["is not supported by this plugin"])
        XCTAssertThrowsError(try tolerant.run(neg, inputs: inputs)) { error in
            let e = error as? BackendError
            XCTAssertEqual(e?.kind, .unsupported, "\(error)")
            XCTAssertEqual(e?.stage, .execute, "the plugin fails when it runs")
        }
        let strict = try plugin("strict")
        XCTAssertThrowsError(try strict.run(neg, inputs: inputs)) { error in
            XCTAssertEqual((error as? BackendError)?.kind, .error, "\(error)")
        }
    }

    func testTheRegistryListsShippedAdaptersAndPlugins() throws {
        let path = "\(folder!)/mine.py"
        try "NAME = \"mine\"\nUNSUPPORTED = []\n".write(toFile: path, atomically: true, encoding: .utf8)
        let registry = BackendRegistry.load(plugins: [path])
        try XCTSkipIf(registry.externalProblem != nil && ProcessInfo.processInfo.environment["CI"] == nil,
                      registry.externalProblem ?? "")
        for name in ["vm-O0", "native-O3", "onnxruntime", "onnxruntime-noopt", "onnxruntime-onnxsim", "onnxruntime-onnxslim",
                     "openvino", "tvm", "iree", "mine"] {
            XCTAssertNotNil(registry.entry(name), name)
        }
        XCTAssertNil(registry.entry("nonesuch"))
    }
}
