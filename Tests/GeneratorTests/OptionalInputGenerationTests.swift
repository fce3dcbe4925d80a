import ModelIR
import SpecLib
import TestSupport
import XCTest
@testable import Generator

/// The generator draws the attributes that decide optional inputs like any other, so it makes nodes with and
/// without them, and every model it makes verifies.
final class OptionalInputGenerationTests: XCTestCase {
    func testNodesComeWithAndWithoutOptionalInputs() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var config = GeneratorConfig()
        config.include = ["Conv", "Gemm", "Max", "Concat"]
        config.nodes = 4
        let gen = try ModelGenerator(library: library, config: config)
        var counts: [String: Set<Int>] = [:]
        for seed: UInt64 in 0..<40 {
            let model = try gen.generate(seed: seed)
            let instances = try Verifier.verify(model, library: library)
            for (node, instance) in zip(model.nodes, instances) {
                XCTAssertEqual(node.inputs.count, instance.inputPorts.count)
                counts[node.op, default: []].insert(node.inputs.count)
            }
        }
        XCTAssertEqual(counts["Conv"], [2, 3], "Conv without and with its bias")
        XCTAssertEqual(counts["Gemm"], [2, 3], "Gemm without and with C")
        XCTAssertEqual(counts["Max"], [1, 2, 3, 4])
        // Concat takes up to 16: the drawn counts stay in range and include the smallest, a middle and a large one.
        let concat = counts["Concat"] ?? []
        XCTAssertTrue(concat.allSatisfy { (1...16).contains($0) } && concat.contains(1) && concat.contains(2), "\(concat)")
        XCTAssertTrue(concat.contains { $0 > 4 }, "Concat past the old bound of 4: \(concat)")
    }
}
