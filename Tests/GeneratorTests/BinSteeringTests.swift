import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Generator

/// Steered insertions give every bin of an attribute a chance, including those a free draw almost never makes.
final class BinSteeringTests: XCTestCase {
    /// One-operator OneHot models: the first operator is always steered, so `axis` = 4 (a rank-4 index tensor,
    /// which a free draw makes about once in a hundred) comes up about as often as the other bins.
    func testEveryAxisBinOfOneHotComesUp() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = GeneratorConfig()
        config.nodes = 1
        config.include = ["OneHot"]
        let gen = try ModelGenerator(library: library, config: config)
        let decl = try XCTUnwrap(library.spec(named: "OneHot")?.attribute("axis"))
        var counts: [String: Int] = [:]
        for seed in 0..<200 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            try Verifier.verify(m, library: library)
            let axis = m.nodes[0].attributes["axis"] ?? .int(-1)
            counts[AttributeBins.bin(axis, decl), default: 0] += 1
        }
        for bin in ["<0", "0", "1", "2-3", "4-7"] { XCTAssertGreaterThanOrEqual(counts[bin, default: 0], 5, "bin \(bin): \(counts)") }
    }

    /// The rewrite identities' two-operator left sides, built in and from the specs, with the attributes bound twice.
    func testRulePatternsComeFromEveryIdentity() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let specs = Dictionary(uniqueKeysWithValues: library.operators.map { ($0.name, $0) })
        let patterns = RulePattern.all(library, usable: specs)
        func rules(_ outer: String, _ inner: String, _ shared: [String: String]) -> [String]? {
            patterns.first { $0.outer == outer && $0.inner == inner && $0.shared == shared }?.rules
        }
        XCTAssertEqual(rules("Unsqueeze", "Squeeze", ["axes": "axes"]), ["Unsqueeze.undo_squeeze"], "\(patterns)")
        XCTAssertEqual(rules("Reshape", "Flatten", [:]), ["Reshape.merge_flatten"])
        XCTAssertNotNil(rules("Neg", "Neg", [:]))
        // One left side serves every rule that has it: the spec's inverse and the built-in composition of Transposes.
        XCTAssertEqual(Set(rules("Transpose", "Transpose", [:]) ?? []), ["Transpose.inverse", "Transpose.compose"])
        XCTAssertEqual(patterns.count, Set(patterns.map { "\($0.outer)(\($0.inner)) \($0.shared)" }).count)
        // A one-operator left side (`Identity(X)`) is no pattern, and operators left out are not built.
        XCTAssertFalse(patterns.contains { $0.outer == "Identity" })
        XCTAssertTrue(RulePattern.all(library, usable: specs.filter { $0.key != "Squeeze" }).allSatisfy { $0.inner != "Squeeze" && $0.outer != "Squeeze" })
    }

    /// With only the shape operators and patterns on every insertion, `Unsqueeze(Squeeze(x, axes = a), axes = a)`
    /// comes up, which free insertion of four operators almost never makes.
    func testTheGeneratorBuildsARulesLeftSide() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = GeneratorConfig()
        config.nodes = 4
        config.include = ["Reshape", "Squeeze", "Unsqueeze", "Flatten", "Relu"]
        config.patternProbability = 1
        let gen = try ModelGenerator(library: library, config: config)
        var undo = 0
        for seed in 0..<120 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            try Verifier.verify(m, library: library)
            XCTAssertEqual(m.nodes.count, 4)
            let producer = Dictionary(m.nodes.flatMap { n in n.outputs.map { ($0.name, n) } }, uniquingKeysWith: { a, _ in a })
            undo += m.nodes.filter { n in
                guard n.op == "Unsqueeze", let p = producer[n.inputs[0]], p.op == "Squeeze" else { return false }
                return n.attributes["axes"] != nil && n.attributes["axes"] == p.attributes["axes"]
            }.count
        }
        XCTAssertGreaterThanOrEqual(undo, 3)
    }

    /// Only attributes with two or more bins are steered, to values inside their range at some rank.
    func testOnlyAttributesWithSeveralBinsAreSteered() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        let relu = BinSteering(try XCTUnwrap(library.spec(named: "Relu")), maxRank: 5)
        XCTAssertTrue(relu.targets.isEmpty)
        let oneHot = BinSteering(try XCTUnwrap(library.spec(named: "OneHot")), maxRank: 5)
        XCTAssertEqual(oneHot.targets.map(\.attribute).sorted(), ["axis", "depth"])
        var rng = SeededRNG(seed: 3)
        XCTAssertNil(relu.pick(&rng))
        for _ in 0..<50 {
            let (name, value) = try XCTUnwrap(oneHot.pick(&rng))
            XCTAssertTrue(["axis", "depth"].contains(name))
            if case .int(let v) = value, name == "axis" { XCTAssertTrue((-6...5).contains(v)) }
        }
    }
}
