import Generator
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// Whole generated models on the VM against the reference: bit-identical outputs.
final class VMBackendTests: XCTestCase {
    func testGeneratedModelsAgreeWithTheReference() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        let reference = ReferenceBackend(library: library), vm = VMBackend(library: library)
        var compared = 0
        var differing: [String] = []
        for seed in 0..<150 as Range<UInt64> {
            let model = try gen.generate(seed: seed)
            let inputs = model.randomInputs(seed: seed)
            guard let expected = try? reference.run(model, inputs: inputs) else { continue }
            let actual = try vm.run(model, inputs: inputs)
            compared += 1
            if actual != expected { differing.append("seed \(seed)") }
        }
        XCTAssertGreaterThan(compared, 140)
        XCTAssertEqual(differing, [])
    }
}
