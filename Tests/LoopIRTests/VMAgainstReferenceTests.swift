import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR
@testable import Reference

/// The lowered kernels, run on the VM, must give the reference interpreter's outputs bit for bit:
/// they share the scalar semantics, and only the lowering differs.
final class VMAgainstReferenceTests: XCTestCase {
    func testEverySpecAgreesBitForBit() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var failures: [String] = []
        var checked = 0
        for spec in library.operators {
            var rng = SeededRNG(seed: 77).split(UInt64(spec.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
            for _ in 0..<12 {
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
                let inputs = DomainInputs.sample(for: instance, using: &rng)
                let expected: [Tensor]
                do { expected = try OpEvaluation.evaluate(instance, inputs: inputs) } catch { continue }
                do {
                    let lowered = try Lowering.lower(instance)
                    let actual = try VM.run(lowered, inputs: inputs)
                    if actual != expected {
                        failures.append("\(spec.name) \(instance.inputTypes) \(instance.attributes): outputs differ")
                    }
                    checked += 1
                } catch {
                    failures.append("\(spec.name) \(instance.inputTypes) \(instance.attributes): \(error)")
                }
            }
        }
        print("vm: \(checked) instances agree bit for bit")
        XCTAssertEqual(failures, [], failures.prefix(20).joined(separator: "\n"))
        XCTAssertGreaterThan(checked, 500)
    }

    func testOutOfRangeReadIsAnErrorNotACrash() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let spec = try XCTUnwrap(library.spec(named: "Gather"))
        var rng = SeededRNG(seed: 1)
        guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { return XCTFail("no Gather instance") }
        var inputs = DomainInputs.sample(for: instance, using: &rng)
        let k = spec.inputs.firstIndex { $0.name == "I" || $0.name == "indices" } ?? 1
        inputs[k] = Tensor(dtype: inputs[k].dtype, shape: inputs[k].shape, ints: Array(repeating: 1000, count: inputs[k].count))
        XCTAssertThrowsError(try VM.run(try Lowering.lower(instance), inputs: inputs))
    }
}
