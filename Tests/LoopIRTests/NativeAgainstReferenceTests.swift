import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR
@testable import Reference

/// Every spec, lowered and compiled to C, against the reference interpreter.
final class NativeAgainstReferenceTests: XCTestCase {
    /// Six sampled instances of every spec with inputs in their domains and the reference's outputs.
    static func sampledCases(_ library: SpecLibrary) throws -> [(OpInstance, [Tensor], [Tensor])] {
        var cases: [(OpInstance, [Tensor], [Tensor])] = []
        for spec in library.operators {
            var rng = SeededRNG(seed: 78).split(UInt64(spec.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
            for _ in 0..<6 {
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
                let inputs = DomainInputs.sample(for: instance, using: &rng)
                guard let expected = try? OpEvaluation.evaluate(instance, inputs: inputs) else { continue }
                cases.append((instance, inputs, expected))
            }
        }
        return cases
    }

    func testEverySpecAgreesWithTheReference() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let cases = try Self.sampledCases(library)
        // One shared object for all of them: one compiler run.
        let program = try NativeProgram(try cases.map { try Lowering.lower($0.0) })
        var exact = 0
        var failures: [String] = []
        for (k, (instance, inputs, expected)) in cases.enumerated() {
            do {
                let actual = try program.run(op: k, inputs: inputs)
                if actual == expected { exact += 1; continue }
                for (a, e) in zip(actual, expected) where !Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype)).passed {
                    failures.append("\(instance.name) \(instance.inputTypes) \(instance.attributes): \(a.doubles.prefix(4)) vs \(e.doubles.prefix(4))")
                }
            } catch {
                failures.append("\(instance.name) \(instance.inputTypes): \(error)")
            }
        }
        print("native: \(cases.count) instances, \(exact) bit-identical, \(failures.count) outside tolerance")
        XCTAssertEqual(failures, [], failures.prefix(15).joined(separator: "\n"))
    }

    /// Sums and products start from a seed rather than from their first value: still bit for bit the reference's,
    /// signed zeros included (a sum of -0.0 alone is -0.0, which a seed of +0.0 would make +0.0), and the empty
    /// reduction is still its identity.
    func testSeededSumsAndProductsKeepSignedZeros() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var cases: [(OpInstance, [Tensor])] = []
        for op in ["ReduceSum", "ReduceProd"] {
            for (shape, values) in [([2, 1], [-0.0, -0.0]), ([1, 3], [-0.0, -0.0, -0.0]), ([2, 2], [-0.0, 0.0, 3.5, -0.0])] {
                let x = Tensor(dtype: .f64, shape: shape, doubles: values)
                let instance = try XCTUnwrap(library.spec(named: op)).instantiate(inputs: [x.type], attributes: ["axes": .ints([1]), "keepdims": .int(0)])
                cases.append((instance, [x]))
            }
        }
        let program = try NativeProgram(try cases.map { try Lowering.lower($0.0) })
        for (k, (instance, inputs)) in cases.enumerated() {
            let expected = try OpEvaluation.evaluate(instance, inputs: inputs)
            let actual = try program.run(op: k, inputs: inputs)
            XCTAssertEqual(actual[0].doubles.map(\.bitPattern), expected[0].doubles.map(\.bitPattern), "\(instance.name) of \(inputs[0].doubles)")
        }
        XCTAssertEqual(try OpEvaluation.evaluate(cases[0].0, inputs: cases[0].1)[0].doubles.map { $0.sign }, [.minus, .minus])
    }

    /// Max and min start from -inf/+inf (the integer bounds for integers): still the reference's result bit for bit
    /// with NaNs, infinities, signed zeros and the bounds themselves among the values.
    func testSeededMaxAndMinKeepNaNsZerosAndBounds() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let nan = Double.nan, inf = Double.infinity
        let floats: [[Double]] = [[-0.0, 0.0, 0.0, -0.0], [0.0, -0.0, -0.0, 0.0], [-inf, -inf, inf, inf],
                                  [nan, 1, 2, nan], [3, nan, -inf, -0.0], [-0.0, -0.0, 0.0, 0.0]]
        let ints: [[Int64]] = [[Int64.min, Int64.min, 0, Int64.max], [Int64.max, -1, Int64.min, 7]]
        var cases: [(OpInstance, [Tensor])] = []
        for op in ["ReduceMax", "ReduceMin"] {
            let spec = try XCTUnwrap(library.spec(named: op))
            for values in floats {
                let x = Tensor(dtype: .f64, shape: [2, 2], doubles: values)
                cases.append((try spec.instantiate(inputs: [x.type], attributes: ["axes": .ints([1]), "keepdims": .int(0)]), [x]))
            }
            for values in ints {
                let x = Tensor(dtype: .i64, shape: [2, 2], scalars: values.map { .int($0) })
                cases.append((try spec.instantiate(inputs: [x.type], attributes: ["axes": .ints([0]), "keepdims": .int(0)]), [x]))
            }
        }
        let program = try NativeProgram(try cases.map { try Lowering.lower($0.0) })
        for (k, (instance, inputs)) in cases.enumerated() {
            let expected = try OpEvaluation.evaluate(instance, inputs: inputs)
            let actual = try program.run(op: k, inputs: inputs)
            XCTAssertEqual(actual[0].bits, expected[0].bits, "\(instance.name) of \(inputs[0].doubles)")
        }
    }
}
