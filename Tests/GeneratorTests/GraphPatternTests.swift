@testable import Generator
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// The generator makes the shapes compiler rewrites look for: siblings (same operator, same inputs) and
/// same-operator chains, on top of what random insertion gives.
final class GraphPatternTests: XCTestCase {
    func counts(patternProbability: Double) throws -> (siblings: Int, chains: Int, mirrors: Int) {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = GeneratorConfig()
        config.maxElements = 4096
        config.patternProbability = patternProbability
        let generator = try ModelGenerator(library: library, config: config)
        var siblings = 0, chains = 0, mirrors = 0
        for seed in 0..<200 {
            let model = try generator.generate(seed: UInt64(seed))
            var producer: [String: String] = [:]
            var seen: Set<[String]> = []
            for node in model.nodes {
                if !seen.insert([node.op] + node.inputs).inserted { siblings += 1 }
                if node.inputs.count == 2, node.inputs[0] != node.inputs[1], seen.contains([node.op] + node.inputs.reversed()) { mirrors += 1 }
                if producer[node.inputs.first ?? ""] == node.op { chains += 1 }
                for o in node.outputs { producer[o.name] = node.op }
            }
            try Verifier.verify(model, library: library)
        }
        return (siblings, chains, mirrors)
    }

    func testPatternsAppearAndOnlyWithThePatternStep() throws {
        let with = try counts(patternProbability: 0.1)
        let without = try counts(patternProbability: 0)
        XCTAssertGreaterThan(with.siblings, 10)
        XCTAssertGreaterThan(with.siblings, 3 * max(without.siblings, 1))
        XCTAssertGreaterThan(with.chains, without.chains)
    }

    /// Siblings with two inputs swapped (`Sub(b, a)` beside `Sub(a, b)`): patterns make them, chance hardly does.
    func testMirroredSiblingsAppearWithThePatternStep() throws {
        let with = try counts(patternProbability: 0.5)
        let without = try counts(patternProbability: 0)
        // Few nodes have two inputs of one type (most binary nodes broadcast), so mirrors stay few: 4 in these 200
        // models, none without patterns, as none before mirrors were made.
        XCTAssertGreaterThanOrEqual(with.mirrors, without.mirrors + 3, "\(with.mirrors) mirrored siblings, \(without.mirrors) by chance")
    }

    /// A rule's left side is built over a value with a shape tie about half the time when the model has one.
    func testRuleLeftSidesFavourValuesWithAShapeTie() {
        func node(_ name: String, _ shape: [Int]) -> Node {
            Node(op: "Relu", inputs: ["x"], outputs: [ValueInfo(name, TensorType(.f32, shape))])
        }
        let tied = node("t", [3, 2, 3])
        let untied = (0..<9).map { node("u\($0)", [1, 1, 4, 2]) }  // equal dims of 1 are no tie
        let builder = GraphBuilder(config: GeneratorConfig())
        var rng = SeededRNG(seed: 5)
        let picks = (0..<2000).map { _ in builder.tieFavoured(untied + [tied], { $0.outputs.first?.type.shape }, &rng).outputs[0].name }
        let share = Double(picks.filter { $0 == "t" }.count) / 2000
        XCTAssertGreaterThan(share, 0.45, "one value in ten, but half the picks go to the tied ones")
        XCTAssertLessThan(share, 0.65)
        XCTAssertEqual(Set(picks).count, 10, "the others are still picked")
        let none = (0..<200).map { _ in builder.tieFavoured(untied, { $0.outputs.first?.type.shape }, &rng).outputs[0].name }
        XCTAssertGreaterThan(Set(none).count, 5)
    }
}
