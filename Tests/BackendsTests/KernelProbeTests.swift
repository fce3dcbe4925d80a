import Foundation
import Generator
import SpecLib
import TestSupport
import XCTest
@testable import Backends

/// `graphsmith kernels --backend NAME` on a user's plugin: what the adapter calls unsupported leaves the table, what
/// fails otherwise (an internal error, a finding for `fuzz`) stays in it.
final class KernelProbeTests: XCTestCase {
    func testAPluginsUnsupportedFormsAreLeftOutAndItsErrorsAreNot() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let folder = NSTemporaryDirectory() + "kernel-probe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Relu in float32 only; Sigmoid in every float dtype but with a compiler error in float64; nothing else.
        let source = """
            import numpy as np
            import onnx

            NAME = "picky"
            UNSUPPORTED = ["not supported by picky"]

            def version():
                return "1"

            def prepare(model_path, options):
                graph = onnx.load(model_path).graph
                node = graph.node[0]
                elem = graph.output[0].type.tensor_type.elem_type
                if node.op_type == "Relu" and elem != onnx.TensorProto.FLOAT:
                    raise RuntimeError("Relu of this type is not supported by picky")
                if node.op_type == "Sigmoid" and elem == onnx.TensorProto.DOUBLE:
                    raise RuntimeError("internal compiler error: bad cast")
                if node.op_type not in ("Relu", "Sigmoid"):
                    raise RuntimeError(node.op_type + " is not supported by picky")
                def run(inputs):
                    x = inputs[node.input[0]]
                    y = np.maximum(x, 0) if node.op_type == "Relu" else 1 / (1 + np.exp(-x))
                    return [y.astype(x.dtype)]
                return run
            """
        let path = folder + "/picky.py"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        let registry = BackendRegistry.load(plugins: [path])
        guard registry.entry("picky") != nil, let runtimes = KernelProbe.runtimes("picky", registry: registry, library: library, timeout: 10)
        else { throw XCTSkip("the worker host cannot list adapters here: \(registry.externalProblem ?? "no reason")") }
        _ = try availableOrSkip(runtimes()[0] as! ExternalBackend, "the worker host")
        let specs = ["Relu", "Sigmoid", "Add"].compactMap(library.spec(named:))
        XCTAssertEqual(specs.count, 3)
        let table = KernelProbe(runtimes: runtimes, samples: 1, maxRank: 3).table(of: specs, jobs: 2)
        XCTAssertEqual(table.kernels["Relu"].map { Set($0.keys) }, ["f32->f32"])
        let sigmoid = Set(table.kernels["Sigmoid"]?.keys.map { $0 } ?? [])
        XCTAssertTrue(sigmoid.contains("f64->f64"), "an internal error is a finding, not a missing kernel: \(sigmoid)")
        XCTAssertTrue(sigmoid.contains("f32->f32"))
        XCTAssertFalse(table.hasKernels("Add"))
    }
}
