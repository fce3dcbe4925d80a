import Foundation
import TestSupport
import XCTest

/// Numeric flags out of range, negative or absurd: each is one line naming the flag, exit 2, before any work starts.
final class HostileFlagsTests: XCTestCase {
    /// Runs graphsmith and returns its one error line, checking exit 2 and that the line names `flag`.
    @discardableResult
    func userError(_ arguments: [String], naming flag: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try Graphsmith.run(arguments + ["--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(flag), "names \(flag): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("missing value"), "a negative number is a value: \(r.stderr)", file: file, line: line)
        return r.stderr
    }

    func testNegativeAndZeroJobs() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("c").path
        for jobs in ["-5", "0"] {
            let line = try userError(["fuzz", "--jobs", jobs, "--iterations", "1", "--out", out], naming: "--jobs")
            XCTAssertTrue(line.contains("--jobs must be at least 1, got \(jobs)"), line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no campaign is started")
    }

    /// More workers than 8 per core are refused up front instead of all being started.
    func testJobsHaveAnUpperBound() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("c").path
        let tooMany = 8 * ProcessInfo.processInfo.activeProcessorCount + 1
        let line = try userError(["fuzz", "--jobs", "\(tooMany)", "--iterations", "1", "--out", out], naming: "--jobs")
        XCTAssertTrue(line.contains("must be at most \(tooMany - 1)"), line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        try userError(["bench", "fuzz", "--jobs", "\(tooMany)"], naming: "--jobs")
        try userError(["bench", "differential", "--jobs", "100000"], naming: "--jobs")
        try userError(["kernels", "--jobs", "100000", "--out", out + ".json"], naming: "--jobs")
    }

    func testNegativeTimeShardAndTimeouts() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("c").path
        XCTAssertTrue(try userError(["fuzz", "--time", "-5", "--out", out], naming: "--time").contains("must be positive"))
        try userError(["fuzz", "--shard", "-1/2", "--iterations", "1", "--out", out], naming: "--shard")
        try userError(["fuzz", "--iterations", "-1", "--out", out], naming: "--iterations")
        for share in ["-0.1", "1.5", "nan"] {
            try userError(["fuzz", "--boundary-share", share, "--iterations", "1", "--out", out], naming: "--boundary-share")
        }
        try userError(["fuzz", "--test-timeout", "-1", "--iterations", "1", "--out", out], naming: "--test-timeout")
        // A timeout past any date would trap where it becomes whole seconds.
        try userError(["fuzz", "--test-timeout", "1e300", "--iterations", "1", "--out", out], naming: "--test-timeout")
        try userError(["fuzz", "--time", "99999999999h", "--out", out], naming: "--time")
        try userError(["kernels", "--timeout", "-1", "--out", out + ".json"], naming: "--timeout")
        try userError(["reduce", "--time", "-5", out], naming: "--time")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// 0 and 10 MiB are not "no limit" and not a worker that dies at start: both are refused, as are negatives.
    func testMemoryLimitTooSmall() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("c").path
        for limit in ["-5", "0", "10"] {
            let line = try userError(["fuzz", "--memory-limit", limit, "--iterations", "1", "--out", out], naming: "--memory-limit")
            XCTAssertTrue(line.contains("must be at least"), line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testCountsAndSizes() throws {
        let out = try temporaryDirectory(self).appendingPathComponent("g").path
        // --count -1 made the range 0..<-1, a trap.
        for count in ["-1", "0"] { try userError(["gen", "--count", count, "--out", out], naming: "--count") }
        try userError(["gen", "--nodes", "-3", "--out", out], naming: "--nodes")
        try userError(["gen", "--max-elements", "-3", "--out", out], naming: "--max-elements")
        try userError(["specs", "test", "--all", "--count", "-1"], naming: "--count")
        try userError(["specs", "test", "Relu", "--backend", "vm-O2,"], naming: "--backend")
        let unknown = try userError(["specs", "test", "Relu", "--backend", "torch-eagre"], naming: "torch-eagre")
        XCTAssertTrue(unknown.contains("did you mean 'torch-eager'?"), unknown)
        try userError(["replay", "--times", "-1", out], naming: "--times")
        try userError(["bench", "gen", "--models", "-1"], naming: "--models")
        try userError(["bench", "compiler", "--repeats", "0"], naming: "--repeats")
        try userError(["bench", "compiler", "--threads", "0"], naming: "--threads")
        try userError(["bench", "compiler", "--threads", "100000"], naming: "--threads")
        // A seed is unsigned: -1 is read as a value and refused as one.
        let seed = try userError(["gen", "--seed", "-1", "--out", out], naming: "--seed")
        XCTAssertTrue(seed.contains("'-1'"), seed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// The last seed is followed by seed 0 rather than a trap after the first model.
    func testGenSeedsWrapAround() throws {
        let out = try temporaryDirectory(self)
        let r = try Graphsmith.run(["gen", "--seed", "18446744073709551615", "--count", "2", "--nodes", "2", "--out", out.path,
                                    "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(files, ["model-0.txt", "model-18446744073709551615.txt"])
    }

    /// `--out` blocked by a regular file: the flag and the file are named, not a Foundation error code.
    func testOutIsARegularFile() throws {
        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        let line = try userError(["fuzz", "--iterations", "1", "--out", file.path], naming: "--out")
        XCTAssertTrue(line.contains("'\(file.path)' is a file, not a folder"), line)
        XCTAssertFalse(line.contains("NSCocoaErrorDomain"), line)
        let below = try userError(["gen", "--out", file.appendingPathComponent("models").path], naming: "--out")
        XCTAssertTrue(below.contains("'\(file.path)' is a file, not a folder"), below)
        try userError(["report", dir.path, "--out", file.path], naming: "--out")
        // A relative --out is checked from the current directory.
        let relative = try Graphsmith.run(["gen", "--out", "taken/models", "--specs", repositorySpecs], in: dir)
        XCTAssertEqual(relative.status, 2, relative.stderr)
        XCTAssertTrue(relative.stderr.contains("taken' is a file, not a folder"), relative.stderr)
        let fresh = try Graphsmith.run(["gen", "--out", "models", "--nodes", "2", "--specs", repositorySpecs], in: dir)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("models/model-0.txt").path))
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "x", "the file is left alone")
    }
}
