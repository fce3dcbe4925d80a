import Generator
import ModelIR
import SpecLib
import TestSupport
import XCTest

/// The generator makes the shapes compiler rewrites look for: siblings (same operator, same inputs) and
/// same-operator chains, on top of what random insertion gives.
final class GraphPatternTests: XCTestCase {
    func counts(patternProbability: Double) throws -> (siblings: Int, chains: Int) {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = GeneratorConfig()
        config.maxElements = 4096
        config.patternProbability = patternProbability
        let generator = try ModelGenerator(library: library, config: config)
        var siblings = 0, chains = 0
        for seed in 0..<200 {
            let model = try generator.generate(seed: UInt64(seed))
            var producer: [String: String] = [:]
            var seen: Set<[String]> = []
            for node in model.nodes {
                if !seen.insert([node.op] + node.inputs).inserted { siblings += 1 }
                if producer[node.inputs.first ?? ""] == node.op { chains += 1 }
                for o in node.outputs { producer[o.name] = node.op }
            }
            try Verifier.verify(model, library: library)
        }
        return (siblings, chains)
    }

    func testPatternsAppearAndOnlyWithThePatternStep() throws {
        let with = try counts(patternProbability: 0.1)
        let without = try counts(patternProbability: 0)
        XCTAssertGreaterThan(with.siblings, 10)
        XCTAssertGreaterThan(with.siblings, 3 * max(without.siblings, 1))
        XCTAssertGreaterThan(with.chains, without.chains)
    }
}
