import Foundation
import TestSupport
import XCTest

/// `gen`, `coverage` and `bench gen` through the executable.
final class GenCLITests: XCTestCase {
    func testGenIsDeterministicAndWritesBothFormats() throws {
        let a = try temporaryDirectory(self).appendingPathComponent("a"), b = try temporaryDirectory(self).appendingPathComponent("b")
        for dir in [a, b] {
            let r = try Graphsmith.run(["gen", "--seed", "5", "--count", "3", "--format", "both", "--out", dir.path, "--specs", repositorySpecs])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        for name in ["model-5.txt", "model-6.onnx", "model-7.txt"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            XCTAssertEqual(x, y, name)
        }
        let run = try Graphsmith.run(["run", a.appendingPathComponent("model-6.onnx").path, "--specs", repositorySpecs])
        XCTAssertEqual(run.status, 0, run.stderr)
        let coverage = try Graphsmith.run(["coverage", a.path, "--json", "--specs", repositorySpecs])
        XCTAssertEqual(coverage.status, 0, coverage.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(coverage.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["models"] as? Int, 3)
        XCTAssertEqual((report["operators"] as? [String: Any])?["covered"] as? Int, Set(try modelOps(a)).count)
    }

    func testImpossibleRequestIsAOneLineUserError() throws {
        let dir = try temporaryDirectory(self)
        let r = try Graphsmith.run(["gen", "--include", "Concat", "--max-rank", "0", "--out", dir.path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr)
        let unknown = try Graphsmith.run(["gen", "--include", "Nope", "--out", dir.path, "--specs", repositorySpecs])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown operator 'Nope'"), unknown.stderr)
    }

    func testBenchGenPrintsNumbers() throws {
        let r = try Graphsmith.run(["bench", "gen", "--models", "5", "--sizes", "3", "--json", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["nodes"] as? Int, 3)
        XCTAssertEqual(rows.first?["valid"] as? Int, 5)
        XCTAssertGreaterThan(rows.first?["modelsPerSecond"] as? Double ?? 0, 0)
    }

    /// The operator names used in the text models of a directory, read independently of graphsmith.
    func modelOps(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.flatMap { name -> [String] in
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            return text.split(separator: "\n").filter { $0.hasPrefix("node ") }.compactMap { line in
                line.split(separator: "=", maxSplits: 1).last?.split(separator: "(").first?.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
