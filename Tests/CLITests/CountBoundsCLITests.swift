import Foundation
import TestSupport
import XCTest

/// Counts with no upper bound started work that could not finish (`gen --nodes 100000` generated for hours): each
/// is refused up front with one line naming the flag and its bound, exit 2, before anything is written.
final class CountBoundsCLITests: XCTestCase {
    /// Runs graphsmith and checks one user-error line saying `flag` must be at most something.
    func tooLarge(_ arguments: [String], _ flag: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Graphsmith.run(arguments + ["--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(flag) must be at most "), "\(arguments): \(r.stderr)", file: file, line: line)
    }

    func testGeneratedModelSizeIsBounded() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("g").path
        try tooLarge(["gen", "--nodes", "100000", "--out", out], "--nodes")
        // 3,000 nodes did not finish in 5 minutes (generation is about quadratic in the node count).
        try tooLarge(["gen", "--nodes", "3000", "--out", out], "--nodes")
        try tooLarge(["fuzz", "--nodes", "100000", "--iterations", "1", "--out", out], "--nodes")
        try tooLarge(["bench", "fuzz", "--nodes", "100000"], "--nodes")
        try tooLarge(["bench", "differential", "--nodes", "100000"], "--nodes")
        try tooLarge(["bench", "gen", "--sizes", "10,100000"], "--sizes")
        try tooLarge(["bench", "search", "--sizes", "100000"], "--sizes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written")
    }

    func testCountsAndRepetitionsAreBounded() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("g").path
        try tooLarge(["gen", "--count", "1000000000", "--out", out], "--count")
        try tooLarge(["specs", "test", "--all", "--count", "1000000000"], "--count")
        try tooLarge(["replay", "--times", "1000000000", out], "--times")
        try tooLarge(["bench", "gen", "--models", "1000000000"], "--models")
        try tooLarge(["bench", "differential", "--models", "1000000000"], "--models")
        try tooLarge(["bench", "search", "--models", "1000000000"], "--models")
        try tooLarge(["bench", "compiler", "--repeats", "1000000000"], "--repeats")
        try tooLarge(["kernels", "--samples", "1000000000", "--out", out + ".json"], "--samples")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written")
    }
}
