import Compiler
import ModelIR
import Reference
import TensorCore
import XCTest

/// Layout rules on chains whose dims are all equal, so a wrong permutation or shape cannot hide behind a
/// type mismatch (the rewriter refuses a right side of another type): only the values can tell.
final class LayoutRuleSoundnessTests: XCTestCase {
    func randomPerm(_ n: Int, _ rng: inout SeededRNG) -> [Int] {
        var p = Array(0..<n)
        for k in stride(from: n - 1, to: 0, by: -1) { p.swapAt(k, rng.int(in: 0...k)) }
        return p
    }

    /// Compiles at O2 and checks bit-equal outputs (layout ops move elements, they never round).
    func check(_ m: Model, maxNodes: Int, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let compiled = try Pipeline.standard.compile(m, context: context(.O2))
        let inputs = m.randomInputs(seed: 1)
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        let actual = try Interpreter.outputs(compiled.model, library: specLibrary, inputs: inputs)
        XCTAssertEqual(actual, expected, "\(label)\n\(TextWriter.write(compiled.model))", file: file, line: line)
        XCTAssertLessThanOrEqual(compiled.model.nodes.count, maxNodes, label, file: file, line: line)
    }

    func testTransposeChainsOfEqualDims() throws {
        var rng = SeededRNG(seed: 42)
        for trial in 0..<60 {
            let rank = rng.int(in: 2...4)
            let p = randomPerm(rank, &rng)
            // Every third trial undoes p exactly, to exercise Transpose.inverse as well as Transpose.compose.
            let q = trial % 3 == 0 ? p.indices.map { k in p.firstIndex(of: k)! } : randomPerm(rank, &rng)
            let type = "f32[" + Array(repeating: "2", count: rank).joined(separator: ", ") + "]"
            let m = try model("""
                graphsmith-model 1
                input x: \(type)
                node t: \(type) = Transpose(x) {perm = \(p)}
                node u: \(type) = Transpose(t) {perm = \(q)}
                output u
                """)
            try check(m, maxNodes: 1, "p = \(p), q = \(q)")
        }
    }

    func testReshapeSqueezeUnsqueezeChains() throws {
        // x: [2, 3, 4] through two shape-only ops; every chain collapses to at most one node.
        let chains: [(String, String, String)] = [
            ("f32[6, 4]", "Reshape(x) {n = 2, shape = [6, 4]}", "Reshape(a) {n = 3, shape = [4, 3, 2]}"),
            ("f32[1, 2, 3, 4]", "Unsqueeze(x) {axes = [0], n = 1}", "Reshape(a) {n = 2, shape = [-1, 2]}"),
            ("f32[2, 12]", "Flatten(x) {axis = 1}", "Unsqueeze(a) {axes = [1], n = 1}"),
            ("f32[24]", "Reshape(x) {n = 1, shape = [24]}", "Reshape(a) {n = 3, shape = [2, 3, 4]}"),
            ("f32[2, 1, 3, 4]", "Unsqueeze(x) {axes = [1], n = 1}", "Flatten(a) {axis = 2}"),
        ]
        for (type, first, second) in chains {
            let text = "graphsmith-model 1\ninput x: f32[2, 3, 4]\nnode a: \(type) = \(first)\n"
            // The second node's type comes from the spec: read it off an instance.
            var m = try model(text + "output a\n")
            let spec = specLibrary.spec(named: String(second.prefix { $0 != "(" }))!
            let attrs = try model(text + "node b: f32[1] = \(second)\noutput b\n").nodes[1].attributes
            let out = try spec.instantiate(inputs: [m.valueTypes["a"]!], attributes: attrs).outputTypes[0]
            m.nodes.append(Node(op: spec.name, inputs: ["a"], outputs: [ValueInfo("b", out)], attributes: attrs))
            m.outputs = ["b"]
            try check(m, maxNodes: 1, "\(first) then \(second)")
        }
    }
}
