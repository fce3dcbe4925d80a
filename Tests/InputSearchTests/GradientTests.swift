import Reference
import SpecLib
import TensorCore
import XCTest
@testable import InputSearch

/// Recorded gradients: by hand on small cases, and against central finite differences on sampled instances.
final class GradientTests: XCTestCase {
    /// The gradient of sum(outputs) with respect to each input element, from the tape.
    private func gradients(_ op: String, _ inputs: [Tensor], _ attributes: [String: AttributeValue] = [:]) throws -> [[Double]] {
        let library = try sharedLibrary.get()
        let instance = try library.requireSpec(op).instantiate(inputs: inputs.map(\.type), attributes: attributes)
        let compiled = CompiledOp(instance, activeInputs: inputs.map { _ in true })
        var tape = Tape()
        let ids = inputs.map { t -> [Int32] in
            let first = tape.leaves(t.count)
            return (0..<Int32(t.count)).map { first + $0 }
        }
        let views = zip(instance.inputPorts, inputs).map { TensorView($1, segments: instance.segments[$0.name]!) }
        let r = try OpTrace.run(compiled, views: views, ids: ids, tape: &tape, options: .init(proxy: false))
        let adjoint = tape.backward(seeds: r.ids[0].map { ($0, 1) })
        return ids.map { $0.map { adjoint[Int($0)] } }
    }

    func testMulAndDivByHand() throws {
        let a = Tensor(dtype: .f64, shape: [2], doubles: [2, 3]), b = Tensor(dtype: .f64, shape: [2], doubles: [5, -4])
        let mul = try gradients("Mul", [a, b])
        XCTAssertEqual(mul[0], [5, -4])
        XCTAssertEqual(mul[1], [2, 3])
        let div = try gradients("Div", [a, b])
        XCTAssertEqual(div[0], [1.0 / 5, -1.0 / 4])
        XCTAssertEqual(div[1], [-2.0 / 25, -3.0 / 16])
    }

    func testBroadcastAddSumsOverTheBroadcastAxis() throws {
        let a = Tensor(dtype: .f32, shape: [2, 3], doubles: [1, 2, 3, 4, 5, 6]), b = Tensor(dtype: .f32, shape: [3], doubles: [0, 0, 0])
        let g = try gradients("Add", [a, b])
        XCTAssertEqual(g[0], [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(g[1], [2, 2, 2])
    }

    func testReluGivesNoExactGradientBelowZero() throws {
        let g = try gradients("Relu", [Tensor(dtype: .f32, shape: [3], doubles: [-1, 0.5, 2])])
        XCTAssertEqual(g[0], [0, 1, 1])
    }

    func testFiniteDifferencesOnSampledInstances() throws {
        let library = try sharedLibrary.get()
        for op in ["Mul", "Div", "Exp", "MatMul", "Conv", "ReduceSum", "Softmax", "LayerNormalization", "Pow", "Gemm"] {
            let spec = try library.requireSpec(op)
            var checked = 0
            for k in 0..<12 {
                var rng = SeededRNG(seed: 17).split(UInt64(k))
                guard let instance = InstanceSampler(spec: spec).sample(using: &rng),
                      instance.inputTypes.allSatisfy({ $0.count <= 4096 }) else { continue }
                let inputs = DomainInputs.sample(for: instance, using: &rng)
                guard let report = try GradientCheck.run(instance, inputs: inputs, seed: UInt64(k)) else { continue }
                XCTAssertEqual(report.failures, [String](), "\(op) instance \(k)")
                checked += report.checked
            }
            XCTAssertGreaterThan(checked, 0, "\(op): no derivative was compared")
        }
    }
}
