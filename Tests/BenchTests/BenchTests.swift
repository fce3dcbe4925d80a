import Bench
import Generator
import InputSearch
import SpecLib
import TestSupport
import XCTest

/// The measurement cores of `bench`: exact counts of the differential batch, and the generator and search rows.
final class BenchTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func testDifferentialCountsEveryRunOfEveryConfiguration() {
        let bench = DifferentialBenchmark(library: library, models: 4, nativeModels: 1, seed: 0, nodes: 4, batch: 2, jobs: 2, ccOpt: "-O0")
        let s = bench.run()
        XCTAssertEqual(s.models, 4)
        XCTAssertEqual(s.nativeModels, 1)
        XCTAssertEqual(s.compared + s.skipped, 4)
        for level in ["O0", "O1", "O2", "O3"] {
            XCTAssertEqual(s.runs["vm-\(level)"], s.compared, level)
            XCTAssertLessThanOrEqual(s.runs["native-\(level)"] ?? 0, 1, "only the first model runs natively")
        }
        XCTAssertEqual(s.mismatches.values.reduce(0, +) + s.errors.values.reduce(0, +), 0, "\(s.examples)")
        XCTAssertEqual(s.counts, "\(s.compared) compared, \(s.runs.values.reduce(0, +)) runs, 0 mismatches, 0 errors")
    }

    func testGeneratorAndSearchRows() throws {
        let generator = try GenerationSettings(nodes: 10, maxElements: 4096).generator(library: library)
        let (row, invalid) = try GeneratorBenchmark.measure(generator, library: library, models: 5, seed: 0)
        XCTAssertEqual(invalid, [])
        XCTAssertEqual(row.nodes, 10)
        XCTAssertEqual(row.valid, 5)
        XCTAssertLessThanOrEqual(row.medianMs, row.maxMs)
        let search = try SearchBenchmark(library: library, config: SearchConfig()).measure(generator, models: 3, seed: 0)
        XCTAssertEqual(search.models, 3)
        XCTAssertEqual(search.repaired, 3 - search.failures.count)
        XCTAssertEqual(search.successRate, Double(search.repaired) / 3)
    }

    func testPercentileIndexesTheSortedValues() {
        let xs = (1...100).map(Double.init)
        XCTAssertEqual(Timing.percentile(0.5, of: xs), 50)
        XCTAssertEqual(Timing.percentile(0.99, of: xs), 99)
        XCTAssertEqual(Timing.percentile(1, of: xs), 100)
        XCTAssertEqual(Timing.percentile(0.5, of: [7]), 7)
    }
}
