import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
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
}
