import Foundation
import SpecLib
import TestSupport
import XCTest
@testable import Generator

/// The coverage denominators are computed on every core with one result.
final class CoverageDenominatorTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    func testParallelMapKeepsTheOrder() {
        let values = Array(0..<1000)
        XCTAssertEqual(values.parallelMap { $0 * $0 }, values.map { $0 * $0 })
        XCTAssertEqual([Int]().parallelMap { $0 }, [])
    }

    /// Each operator draws from its own stream: the same sets every time, and an operator's bins do not depend on
    /// which other operators are computed beside it.
    func testDenominatorsAreTheSameEveryTimeAndPerOperator() throws {
        let config = GeneratorConfig()
        let ops = Array(config.operators(of: library).prefix(12))
        let pairs = FeasiblePairs.compute(ops, config: config)
        XCTAssertEqual(FeasiblePairs.compute(ops, config: config), pairs)
        XCTAssertFalse(pairs.isEmpty)
        let bins = ReachableBins.compute(ops, config: config)
        XCTAssertEqual(ReachableBins.compute(ops, config: config), bins)
        let k = try XCTUnwrap(ops.indices.last { !ops[$0].attributes.isEmpty })
        let alone = ReachableBins.compute(Array(ops.prefix(k + 1)), config: config)
        XCTAssertFalse(alone.filter { $0.hasPrefix(ops[k].name + ".") }.isEmpty)
        XCTAssertEqual(alone, bins.filter { b in ops.prefix(k + 1).contains { b.hasPrefix($0.name + ".") } })
    }
}
