import Backends
import Compiler
import ModelIR
import Reference
import TensorCore
import XCTest

/// Long element-wise chains compile at -O3 and compute what they compute unoptimized. Correctness only: how
/// compile time grows with length is measured by `graphsmith bench compile-scaling`, not here.
final class LongChainTests: XCTestCase {
    /// A text model of `count` nodes, node `k` applying `ops[k % ops.count]` to the node before it.
    func chain(_ ops: [String], count: Int) throws -> Model {
        var lines = ["graphsmith-model 1", "input x: f32[4, 8]"]
        var previous = "x"
        for k in 0..<count {
            lines.append("node v\(k): f32[4, 8] = \(ops[k % ops.count])(\(previous))")
            previous = "v\(k)"
        }
        lines.append("output \(previous)")
        return try model(lines.joined(separator: "\n") + "\n")
    }

    func run(_ m: Model, _ level: OptimizationLevel, _ inputs: [String: Tensor]) throws -> [Tensor] {
        try CompilerBackend(library: specLibrary, level: level, executor: .vm).run(m, inputs: inputs)
    }

    func testARelu2000ChainCollapsesToOneNodeAndMatchesTheReference() throws {
        let m = try chain(["Relu"], count: 2000)
        let compiled = try CompilerBackend(library: specLibrary, level: .O3).compile(m)
        XCTAssertEqual(compiled.model.nodes.map(\.op), ["Relu"], "Relu(Relu(x)) -> Relu(x) all the way down")
        let inputs = m.randomInputs(seed: 5)
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        XCTAssertEqual(try run(m, .O3, inputs), expected, "Relu is exact: the same bits")
    }

    func testAMixed2000ChainFusesAndMatchesTheUnfusedVMBitForBit() throws {
        let m = try chain(["Tanh", "Sigmoid", "Relu"], count: 2000)
        let compiled = try CompilerBackend(library: specLibrary, level: .O3).compile(m)
        XCTAssertEqual(compiled.model.nodes.count, 2000, "no rule applies")
        let sizes = compiled.fusion.groups.map(\.nodes.count)
        XCTAssertLessThanOrEqual(sizes.max() ?? 0, FusionGroups.maxGroupSize, "element-wise groups, capped")
        XCTAssertLessThanOrEqual(sizes.count, 2 * 2000 / FusionGroups.maxGroupSize + 1, "but still long")
        let inputs = m.randomInputs(seed: 6)
        let fused = try run(m, .O3, inputs)
        // Inlined members round to their dtype, so the fused loop holds the values the unfused stages would.
        XCTAssertEqual(fused, try run(m, .O1, inputs))
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        for (a, e) in zip(fused, expected) {
            XCTAssertTrue(Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype)).passed)
        }
    }
}
