import Generator
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Backends

/// Whole generated models on the VM and natively against the reference: bit-identical outputs.
final class VMBackendTests: XCTestCase {
    /// Bit for bit, except that any NaN equals any NaN: IEEE leaves open the sign and payload of a NaN an operation
    /// makes (x86 code gives -nan where the reference's arithmetic gives nan), and no oracle reads them. Random
    /// inputs (no input search here) make NaNs in some models.
    static func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
        guard a.type == b.type else { return false }
        return a.bits.indices.allSatisfy {
            a.bits[$0] == b.bits[$0] || (a.dtype.isFloat && a.double(at: $0).isNaN && b.double(at: $0).isNaN)
        }
    }

    func testGeneratedModelsAgreeWithTheReference() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        let reference = ReferenceBackend(library: library)
        let backends: [any Backend] = [CompilerBackend(library: library, level: .O0, executor: .vm),
                                        CompilerBackend(library: library, level: .O0, executor: .native)]
        var compared = 0
        var differing: [String] = []
        for seed in 0..<120 as Range<UInt64> {
            let model = try gen.generate(seed: seed)
            let inputs = model.randomInputs(seed: seed)
            guard let expected = try? reference.run(model, inputs: inputs) else { continue }
            compared += 1
            for b in backends {
                let actual = try b.run(model, inputs: inputs)
                if !zip(actual, expected).allSatisfy(Self.sameBits) || actual.count != expected.count {
                    differing.append("\(b.name) seed \(seed)")
                }
            }
        }
        XCTAssertGreaterThan(compared, 110)
        XCTAssertEqual(differing, [])
    }
}
