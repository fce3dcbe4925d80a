import Backends
import ModelIR
import Reference
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Oracle

/// Rounding an ill-conditioned operator amplifies: a runtime value the operator sweeps through under tolerated moves
/// of its inputs is explained, one in the gap between discrete levels or outside the sweep is not.
final class AmplifiedRoundingTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)

    /// Returns fixed outputs, whatever the model.
    struct Fixed: Backend {
        var outputs: [Tensor]
        var name: String { "fixed" }
        var capabilities: BackendCapabilities { BackendCapabilities(rounding: .own, isolation: .inProcess) }
        func prepare(_ model: Model) throws -> any PreparedModel { DeferredModel { [outputs] _ in outputs } }
    }

    func oneNode(_ op: String, _ type: TensorType, attributes: [String: AttributeValue] = [:]) -> Model {
        Model(inputs: [ValueInfo("x", type)], weights: [],
              nodes: [Node(op: op, inputs: ["x"], outputs: [ValueInfo("y", type)], attributes: attributes)], outputs: ["y"])
    }

    /// Whether the node's output `got` (element by element: the reference's, with `replace` applied) is explained.
    func explains(_ model: Model, _ x: Tensor, replace: (Int, Double) -> Double) throws -> Bool {
        let want = try Interpreter.outputs(model, library: specLibrary, inputs: ["x": x])[0]
        let got = Tensor(dtype: want.dtype, shape: want.shape, doubles: want.doubles.enumerated().map { replace($0.offset, $0.element) })
        return AmplifiedRounding(library: specLibrary, oracle: oracle)
            .explains(node: 0, outputs: [got], backend: Fixed(outputs: [got]), model: model, inputs: ["x": x])
    }

    /// MeanVarianceNormalization over axes 0, 2, 3 of [1, 1, 2, 4, 2]: the slices of the last index 1 hold eight
    /// equal values, whose exact result is 0; a runtime whose mean is one ulp off gives about -0.98 there (seen from
    /// torch.compile on CPU).
    func testAnIllConditionedNormalizationSweepsOverTheRuntimeValue() throws {
        let model = oneNode("MeanVarianceNormalization", TensorType(.f32, [1, 1, 2, 4, 2]))
        let x = Tensor(dtype: .f32, shape: [1, 1, 2, 4, 2], doubles: (0..<16).map { $0 % 2 == 1 || $0 % 4 == 0 ? -0.7 : 0.3 })
        XCTAssertTrue(try explains(model, x) { e, v in e % 2 == 1 ? -0.98349965 : v })
        XCTAssertFalse(try explains(model, x) { e, v in e % 2 == 1 ? 5.0 : v }, "beyond any tolerated move of the inputs")
        XCTAssertFalse(try explains(model, x) { e, v in e == 0 ? v + 0.5 : v }, "a well-conditioned slice is still judged")
    }

    /// Floor of 3.0 gives 2 or 3 under tolerated moves, never 2.5.
    func testADiscreteOperatorsGapIsNotSwept() throws {
        let model = oneNode("Floor", TensorType(.f32, [4]))
        let x = Tensor(dtype: .f32, shape: [4], doubles: [3, 3, 3, 3])
        XCTAssertTrue(try explains(model, x) { _, _ in 2 })
        XCTAssertFalse(try explains(model, x) { _, _ in 2.5 })
    }

    func testSweepNeedsCloseNeighbours() {
        let t = Tolerance(rtol: 0, atol: 0)
        XCTAssertTrue(AmplifiedRounding.sweeps([0, 0.1, 0.2, 0.3, 0.4, 1.0], over: 0.25, t))
        XCTAssertFalse(AmplifiedRounding.sweeps([0, 0.01, 0.02, 0.98, 0.99, 1.0], over: 0.5, t), "two clusters")
        XCTAssertFalse(AmplifiedRounding.sweeps([0.5, 0.5, 0.5, 0.5], over: 0.5, t), "no spread: membership decides")
    }
}
