import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import ModelIR
import TestSupport

final class TextFormatTests: XCTestCase {
    /// Every spec, at many random instances with random weights, survives write → read bit for bit.
    func testEverySpecInstanceRoundTrips() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var rng = SeededRNG(seed: 11)
        var checked = 0
        for spec in library.operators {
            let sampler = InstanceSampler(spec: spec)
            for _ in 0..<5 {
                guard let instance = sampler.sample(using: &rng) else { return XCTFail("no instance of \(spec.name)") }
                let model = oneNodeModel(instance, &rng)
                try Verifier.verify(model, library: library)
                let text = TextWriter.write(model)
                let back = try TextReader.read(text)
                XCTAssertEqual(back, model, "\(spec.name) round trip:\n\(text)")
                XCTAssertEqual(TextWriter.write(back), text)
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 300)
    }

    /// Inputs become weights holding random bits, so NaNs, infinities and subnormals are exercised too (a bool's
    /// bits are 0 or 1: other bytes are not bools, and the reader refuses them).
    func oneNodeModel(_ instance: OpInstance, _ rng: inout SeededRNG) -> Model {
        var weights: [Weight] = []
        for (k, type) in instance.inputTypes.enumerated() {
            let bits = (0..<type.count).map { _ in type.dtype == .bool ? rng.next() & 1 : rng.next() }
            weights.append(Weight("w\(k)", Tensor(dtype: type.dtype, shape: type.shape, bits: bits)))
        }
        let outputs = instance.outputTypes.enumerated().map { ValueInfo("y\($0.offset)", $0.element) }
        let node = Node(op: instance.name, inputs: weights.map(\.name), outputs: outputs, attributes: instance.attributes)
        return Model(weights: weights, nodes: [node], outputs: outputs.map(\.name))
    }

    func testSpecialAttributeValuesRoundTrip() throws {
        let node = Node(op: "X", inputs: ["a"], outputs: [ValueInfo("b", TensorType(.f16, []))],
                        attributes: ["r": .real(0.1), "n": .real(-.infinity), "q": .real(.nan), "t": .real(1e-300),
                                     "d": .dtype(.bf16), "e": .name("reflect"), "i": .ints([-1, 0, 2]), "z": .ints([]), "k": .int(-3)])
        let model = Model(inputs: [ValueInfo("a", TensorType(.f16, []))], nodes: [node], outputs: ["b"])
        let back = try TextReader.read(TextWriter.write(model))
        XCTAssertEqual(back.nodes[0].attributes["r"], .real(0.1))
        XCTAssertEqual(back.nodes[0].attributes["t"], .real(1e-300))
        XCTAssertEqual(back.nodes[0].attributes["d"], .dtype(.bf16))
        XCTAssertEqual(back.nodes[0].attributes["e"], .name("reflect"))
        XCTAssertEqual(back.nodes[0].attributes["i"], .ints([-1, 0, 2]))
        XCTAssertEqual(back.nodes[0].attributes["z"], .ints([]))
        XCTAssertEqual(back.nodes[0].attributes["k"], .int(-3))
        guard case .real(let q)? = back.nodes[0].attributes["q"] else { return XCTFail("nan lost") }
        XCTAssertTrue(q.isNaN)
    }

    func testMalformedFilesGiveLocatedErrors() {
        let cases: [(String, String)] = [
            ("", "m.txt:1:1: error: empty model file"),
            ("graphsmith-model 1\ninput x f32[2]\n", "m.txt:2:9: error: expected ':', found 'f'"),
            ("graphsmith-model 1\ninput x: f33[2]\n", "m.txt:2:13: error: unknown dtype 'f33'"),
            ("graphsmith-model 1\nweight w: f32[2] = 3f800000\n", "m.txt:2:28: error: weight 'w' has 1 elements, its type f32[2] needs 2"),
            ("graphsmith-model 1\nweight w: u8[1] = 1ff\n", "m.txt:2:22: error: weight 'w': '1ff' is not a u8 bit pattern in hex"),
            ("graphsmith-model 1\nfoo\n", "m.txt:2:4: error: unknown line kind 'foo' (expected input, weight, node or output)"),
            ("model 2\n", "m.txt:1:1: error: expected 'graphsmith-model 1' as the first line"),
            ("graphsmith-model 1\nnode y: f32[] = Relu(x) {a = 1, a = 2}\n", "m.txt:2:36: error: attribute 'a' given twice"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try TextReader.read(text, path: "m.txt")) { error in
                XCTAssertEqual("\(error)", expected)
            }
        }
    }

    func testVerifierRejectsBadModels() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let f = TensorType(.f32, [2])
        let bad: [(Model, String)] = [
            (Model(inputs: [ValueInfo("x", f)], nodes: [Node(op: "Nope", inputs: ["x"], outputs: [ValueInfo("y", f)])], outputs: ["y"]),
             "unknown operator 'Nope'"),
            (Model(inputs: [ValueInfo("x", f)], nodes: [Node(op: "Relu", inputs: ["z"], outputs: [ValueInfo("y", f)])], outputs: ["y"]),
             "input 'z' is not defined before use"),
            (Model(inputs: [ValueInfo("x", f)], nodes: [Node(op: "Relu", inputs: ["x"], outputs: [ValueInfo("y", TensorType(.f32, [3]))])], outputs: ["y"]),
             "declared f32[3] but the spec gives f32[2]"),
            (Model(inputs: [ValueInfo("x", f), ValueInfo("x", f)], nodes: [], outputs: ["x"]), "defined twice"),
            (Model(inputs: [ValueInfo("x", f)], nodes: [], outputs: ["q"]), "output 'q' is not defined"),
            (Model(inputs: [ValueInfo("x", f), ValueInfo("b", TensorType(.f32, [3]))],
                   nodes: [Node(op: "Add", inputs: ["x", "b"], outputs: [ValueInfo("y", f)])], outputs: ["y"]), "does not hold"),
        ]
        for (model, fragment) in bad {
            XCTAssertThrowsError(try Verifier.verify(model, library: library)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error) should mention \(fragment)")
            }
        }
    }
}
