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
