import Foundation
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import Generator
import TestSupport

final class GeneratorTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func testModelsVerifyAndRun() throws {
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        var failures: [String] = []
        let start = Date()
        for seed in 0..<200 {
            do {
                let m = try gen.generate(seed: UInt64(seed))
                XCTAssertEqual(m.nodes.count, 10)
                try Verifier.verify(m, library: library)
                _ = try Interpreter.outputs(m, library: library, inputs: m.randomInputs(seed: UInt64(seed)))
            } catch {
                failures.append("seed \(seed): \(error)")
            }
        }
        print("generated 200 models in \(Date().timeIntervalSince(start)) s")
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
    }
}

final class GeneratorBehaviourTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func testSameSeedSameBytes() throws {
        let a = try ModelGenerator(library: library, config: GeneratorConfig())
        let b = try ModelGenerator(library: library, config: GeneratorConfig())
        for seed in [0, 1, 17, 12345] as [UInt64] {
            XCTAssertEqual(TextWriter.write(try a.generate(seed: seed)), TextWriter.write(try b.generate(seed: seed)))
        }
        XCTAssertNotEqual(TextWriter.write(try a.generate(seed: 1)), TextWriter.write(try a.generate(seed: 2)))
    }

    func testIncludeExcludeAndDtypeFilters() throws {
        var config = GeneratorConfig()
        config.include = ["Add", "Relu", "MatMul", "Softmax"]
        config.dtypes = [.f32]
        let gen = try ModelGenerator(library: library, config: config)
        for seed in 0..<20 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            XCTAssertTrue(m.nodes.allSatisfy { config.include!.contains($0.op) })
            XCTAssertTrue(m.valueTypes.values.allSatisfy { $0.dtype == .f32 })
            try Verifier.verify(m, library: library)
        }
        config = GeneratorConfig()
        config.exclude = Set(library.operators.map(\.name)).subtracting(["Relu"])
        let relu = try ModelGenerator(library: library, config: config)
        XCTAssertTrue(try relu.generate(seed: 3).nodes.allSatisfy { $0.op == "Relu" })
    }

    func testLimitsHold() throws {
        var config = GeneratorConfig()
        config.maxElements = 64
        config.maxRank = 2
        config.nodes = 30
        let gen = try ModelGenerator(library: library, config: config)
        for seed in 0..<10 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            XCTAssertTrue(m.valueTypes.values.allSatisfy { $0.count <= 64 && $0.rank <= 2 }, TextWriter.write(m))
        }
    }

    func testImpossibleRequestsEndWithAnError() throws {
        var config = GeneratorConfig()
        config.include = ["Concat"]
        config.maxRank = 0
        config.nodes = 3
        // Concat's inputs and output have rank at least 1 (the axis), whatever their count.
        XCTAssertThrowsError(try ModelGenerator(library: library, config: config).generate(seed: 0)) { error in
            XCTAssertTrue(error is GeneratorError, "\(error)")
        }
        config = GeneratorConfig()
        config.include = ["Not"]
        config.dtypes = [.f32]  // Not takes only bool
        XCTAssertThrowsError(try ModelGenerator(library: library, config: config).generate(seed: 0))
        config = GeneratorConfig()
        config.include = ["NoSuchOp"]
        XCTAssertThrowsError(try ModelGenerator(library: library, config: config))
    }

    func testCoverageCountsPairsAndBins() throws {
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        var coverage = Coverage()
        for seed in 0..<50 as Range<UInt64> { coverage.add(try gen.generate(seed: seed), library: library) }
        XCTAssertEqual(coverage.models, 50)
        XCTAssertEqual(coverage.operators.values.reduce(0, +), 500)
        XCTAssertGreaterThan(coverage.pairs.count, 50)
        XCTAssertTrue(coverage.attributeBins.keys.contains { $0.hasPrefix("Softmax.axis=") } || coverage.operators["Softmax"] == nil)
    }

    func testAttributeBinsAreLogScale() {
        XCTAssertEqual(AttributeBins.intBin(-3), "<0")
        XCTAssertEqual(AttributeBins.intBin(0), "0")
        XCTAssertEqual(AttributeBins.intBin(1), "1")
        XCTAssertEqual(AttributeBins.intBin(3), "2-3")
        XCTAssertEqual(AttributeBins.intBin(4), "4-7")
        XCTAssertEqual(AttributeBins.intBin(100), "64-127")
    }
}
