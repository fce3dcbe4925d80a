import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Reference

/// The compiled reference (`CompiledExpr`, what `OpEvaluation.evaluate` runs) against the spec interpreter it must
/// match bit for bit (`evaluateStraightforwardly`): on every spec, instances drawn from several seeds, inputs inside
/// the operator's domain and random ones (NaN, overflow and errors included), the same outputs, the same overflow
/// report, or the same error.
final class CompiledEvaluationTests: XCTestCase {
    func testEverySpecEvaluatesBitForBitAsTheInterpreter() throws {
        let library = try sharedLibrary.get()
        var compared = 0, failures = 0
        for spec in library.operators {
            var rng = SeededRNG(seed: 0xC0DE ^ UInt64(spec.name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
            var instances = 0
            for _ in 0..<24 where instances < 4 {
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
                instances += 1
                let inDomain = DomainInputs.sample(for: instance, using: &rng)
                let random = instance.inputTypes.map { Model.randomInput($0, using: &rng) }
                for inputs in [inDomain, random] {
                    let fast = Result { try OpEvaluation.evaluateReportingOverflow(instance, inputs: inputs) }
                    let slow = Result { try OpEvaluation.evaluateStraightforwardly(instance, inputs: inputs) }
                    compared += 1
                    switch (fast, slow) {
                    case (.success(let a), .success(let b)):
                        if a.outputs != b.outputs || a.overflow != b.overflow {
                            failures += 1
                            XCTFail("\(spec.name) \(instance.inputTypes): compiled \(a.outputs.map(\.doubles)) \(a.overflow ?? "") vs \(b.outputs.map(\.doubles)) \(b.overflow ?? "")")
                        }
                    case (.failure(let a), .failure(let b)):
                        XCTAssertEqual("\(a)", "\(b)", spec.name)
                    default:
                        failures += 1
                        XCTFail("\(spec.name) \(instance.inputTypes): compiled \(fast) vs interpreter \(slow)")
                    }
                    if failures > 10 { return }
                }
            }
        }
        XCTAssertGreaterThan(compared, 4 * library.operators.count, "most specs give several instances")
    }
}
