import Reference
import SpecLib
import TensorCore
import XCTest
@testable import InputSearch

/// The recording evaluator computes exactly what the reference interpreter computes, on every operator.
final class TraceTests: XCTestCase {
    func testEveryOperatorMatchesTheReferenceBitForBit() throws {
        let library = try sharedLibrary.get()
        var compared = 0
        for spec in library.operators {
            for k in 0..<8 {
                var rng = SeededRNG(seed: 31).split(UInt64(k))
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
                let inputs = DomainInputs.sample(for: instance, using: &rng)
                let expected = try OpEvaluation.evaluate(instance, inputs: inputs)
                var tape = Tape()
                let ids = inputs.map { t -> [Int32]? in t.dtype.isFloat ? (0..<t.count).map { _ in tape.leaf() } : nil }
                let views = zip(instance.inputPorts, inputs).map { TensorView($1, segments: instance.segments[$0.name]!) }
                let r = try OpTrace.run(CompiledOp(instance, activeInputs: inputs.map(\.dtype.isFloat)), views: views, ids: ids,
                                        tape: &tape, options: .init())
                XCTAssertEqual(r.outputs, expected, "\(spec.name) instance \(k)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 8 * 70)
    }
}
