import Foundation
import ModelIR
import SpecLib
import TensorCore
import XCTest
@testable import ONNX

/// Export then import gives back the same model, for instances of every spec.
final class RoundTripTests: XCTestCase {
    func testEverySpecRoundTripsThroughOnnx() throws {
        let library = try SpecLibrary.load(directory: repositoryRoot.appendingPathComponent("Specs").path)
        var rng = SeededRNG(seed: 99)
        var failures: [String] = []
        for spec in library.operators {
            let sampler = InstanceSampler(spec: spec)
            for _ in 0..<6 {
                guard let instance = sampler.sample(using: &rng) else { return XCTFail("no instance of \(spec.name)") }
                let model = oneNodeModel(instance, &rng)
                do {
                    let back = try Importer.decode(try Exporter.export(model, library: library), library: library)
                    if back != model { failures.append("\(spec.name): got\n\(TextWriter.write(back))expected\n\(TextWriter.write(model))") }
                } catch {
                    failures.append("\(spec.name) \(instance.attributes) \(instance.inputTypes): \(error)")
                }
            }
        }
        XCTAssertEqual(failures.count, 0, failures.prefix(20).joined(separator: "\n"))
    }

    /// Weights of the spec become initializers with random bits; other inputs are graph inputs.
    func oneNodeModel(_ instance: OpInstance, _ rng: inout SeededRNG) -> Model {
        var model = Model()
        var names: [String] = []
        for (port, type) in zip(instance.spec.inputs, instance.inputTypes) {
            let name = "in_\(port.name)"
            names.append(name)
            if port.role == .weight {
                model.weights.append(Weight(name, Tensor(dtype: type.dtype, shape: type.shape, bits: (0..<type.count).map { _ in rng.next() })))
            } else {
                model.inputs.append(ValueInfo(name, type))
            }
        }
        let outs = instance.outputTypes.enumerated().map { ValueInfo("out_\($0.offset)", $0.element) }
        model.nodes = [Node(op: instance.name, inputs: names, outputs: outs, attributes: instance.attributes)]
        model.outputs = outs.map(\.name)
        return model
    }
}
