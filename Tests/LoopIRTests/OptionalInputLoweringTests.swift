import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR
@testable import Reference

/// Absent optional inputs, `lowest`/`highest` and local lets lower to kernels that agree with the reference
/// bit for bit: the lowering sees the instance's definitions, where an absent input's reads are its fallback.
final class OptionalInputLoweringTests: XCTestCase {
    func agree(_ spec: OpSpec, _ attributes: [String: AttributeValue], seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRNG(seed: seed)
        var checked = 0
        for _ in 0..<40 where checked < 6 {
            guard let sampled = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
            var attrs = sampled.attributes
            for (k, v) in attributes { attrs[k] = v }
            let ports = spec.inputPorts(attributes: attrs)
            let types = ports.map { p in sampled.inputTypes[sampled.inputPorts.firstIndex { $0.name == p.name } ?? 0] }
            guard let instance = try? spec.instantiate(inputs: types, attributes: attrs) else { continue }
            let inputs = DomainInputs.sample(for: instance, using: &rng)
            let expected = try OpEvaluation.evaluate(instance, inputs: inputs)
            XCTAssertEqual(try VM.run(try Lowering.lower(instance), inputs: inputs), expected, "\(spec.name) \(attrs)", file: file, line: line)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0, "no instance of \(spec.name) with \(attributes)", file: file, line: line)
    }

    func testAbsentInputsLowerLikeTheReference() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        try agree(try XCTUnwrap(library.spec(named: "Conv")), ["bias": .int(0)], seed: 1)
        try agree(try XCTUnwrap(library.spec(named: "Gemm")), ["hasC": .int(0)], seed: 2)
        for name in ["Max", "Min", "Sum", "Mean", "Concat"] {
            for n in 1...4 { try agree(try XCTUnwrap(library.spec(named: name)), ["n": .int(n)], seed: UInt64(n)) }
        }
    }

    func testBoundsAndLocalLetsLowerLikeTheReference() throws {
        let source = """
        op L
        types T in f32, i8, u64
        input X: T[N]
        output Y: T[N]
        compute Y[i] = let m = max(X[i], lowest(T)) in i % 2 == 0 ? m : min(m, highest(T))
        """
        let spec = try Checker.check(try Parser.parse(path: "L.op", source: source), family: "test")
        for dtype in [DType.f32, .i8, .u64] {
            var rng = SeededRNG(seed: 5)
            let x = Tensor.random(TensorType(dtype, [5]), using: &rng, low: -3, high: 3)
            let instance = try spec.instantiate(inputs: [x.type], attributes: [:])
            let expected = try OpEvaluation.evaluate(instance, inputs: [x])
            XCTAssertEqual(expected[0], x, "max with lowest and min with highest are the identity")
            XCTAssertEqual(try VM.run(try Lowering.lower(instance), inputs: [x]), expected)
        }
    }
}
