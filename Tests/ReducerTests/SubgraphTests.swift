import ModelIR
import Reference
import TensorCore
import XCTest
@testable import Reducer

final class SubgraphTests: XCTestCase {
    let model = try! TextReader.read("""
        graphsmith-model 1
        input x: f32[2, 3]
        weight w: f32[2, 3] = 3f800000 40000000 40400000 40800000 40a00000 40c00000
        node a: f32[2, 3] = Relu(x)
        node c: f32[2, 3] = Neg(w)
        node b: f32[2, 3] = Add(a, c)
        node d: f32[2, 3] = Exp(b)
        output d
        """)

    func values() throws -> [String: Tensor] {
        var rng = SeededRNG(seed: 1)
        let x = Tensor.random(TensorType(.f32, [2, 3]), using: &rng, low: -1, high: 1)
        return try Interpreter.run(model, library: specLibrary, inputs: ["x": x])
    }

    func testCutValuesBecomeInputsFedFromTheReference() throws {
        let v = try values()
        let sub = Subgraph(model, keep: [2, 3], values: v)  // Add and Exp
        XCTAssertEqual(sub.model.nodes.map(\.op), ["Add", "Exp"])
        XCTAssertEqual(sub.model.inputs.map(\.name), ["a"], "Relu's output is cut: an input")
        XCTAssertEqual(sub.model.weights.map(\.name), ["c"], "Neg(w) is a constant: it stays constant")
        XCTAssertEqual(sub.model.outputs, ["d"])
        try Verifier.verify(sub.model, library: specLibrary)
        let rerun = try Interpreter.run(sub.model, library: specLibrary, inputs: sub.inputs)
        XCTAssertEqual(rerun["d"], v["d"], "the kept nodes compute what they computed in the whole model")
    }

    func testOutputsAreTheKeptValuesNoKeptNodeReads() throws {
        let sub = Subgraph(model, keep: [0, 1], values: try values())  // Relu and Neg
        XCTAssertEqual(Set(sub.model.outputs), ["a", "c"])
        XCTAssertEqual(sub.model.inputs.map(\.name), ["x"])
        XCTAssertEqual(Subgraph.elements(sub.model), 6 * 4)
    }
}
