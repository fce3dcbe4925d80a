import Foundation
import TestSupport
import XCTest

/// `compile`, `passes list` and `run --backend compiler`.
final class CompileCLITests: XCTestCase {
    let model = """
        graphsmith-model 1
        input x: f32[2, 3]
        node a: f32[2, 3] = Neg(x)
        node b: f32[2, 3] = Neg(a)
        node y: f32[2, 3] = Relu(b)
        output y

        """

    func testCompileReportsPassesAndDumpsAfterAPass() throws {
        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("m.txt"), out = dir.appendingPathComponent("opt.txt")
        try model.write(to: file, atomically: true, encoding: .utf8)
        let r = try Graphsmith.run(["compile", file.path, "-O2", "--dump-after", "algebraic-simplification", "--out", out.path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("# after algebraic-simplification"), r.stdout)
        XCTAssertTrue(r.stdout.contains("nodes 3 -> 1"), r.stdout)
        // Neg(Neg(x)) is x: the optimized model is Relu(x), written out.
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8),
                       "graphsmith-model 1\ninput x: f32[2, 3]\nnode y: f32[2, 3] = Relu(x)\noutput y\n")
        let off = try Graphsmith.run(["compile", file.path, "-O2", "--disable-pass", "algebraic-simplification", "--specs", repositorySpecs])
        XCTAssertTrue(off.stdout.contains("nodes 3 -> 3"), off.stdout)
        let bad = try Graphsmith.run(["compile", file.path, "--disable-pass", "algebraic", "--specs", repositorySpecs])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("did you mean 'algebraic-simplification'"), bad.stderr)
    }

    func testRunOnTheCompilerMatchesTheReference() throws {
        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("m.txt")
        try model.write(to: file, atomically: true, encoding: .utf8)
        let reference = try Graphsmith.run(["run", file.path, "--seed", "3", "--specs", repositorySpecs])
        for args in [["-O3"], ["-O0", "--executor", "native"]] {
            let compiled = try Graphsmith.run(["run", file.path, "--seed", "3", "--backend", "compiler"] + args + ["--specs", repositorySpecs])
            XCTAssertEqual(compiled.status, 0, compiled.stderr)
            XCTAssertEqual(compiled.stdout.split(separator: "\n").dropFirst(), reference.stdout.split(separator: "\n").dropFirst())
        }
    }

    func testPassesList() throws {
        let r = try Graphsmith.run(["passes", "list", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("O1  graph  dead-code-elimination"), r.stdout)
        XCTAssertTrue(r.stdout.contains("O2  loop  loop-tile"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Neg.double_neg: Neg(Neg(X)) == X"), r.stdout)
    }

    /// One list of graph and loop passes, each with its kind and level, graph passes first.
    func testPassesListJSON() throws {
        let r = try Graphsmith.run(["passes", "list", "--json", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let passes = try XCTUnwrap(object["passes"] as? [[String: Any]])
        let rows = passes.map { ($0["name"] as? String ?? "", $0["kind"] as? String ?? "", $0["level"] as? Int ?? -1) }
        let byName = Dictionary(rows.map { ($0.0, ($0.1, $0.2)) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byName.count, rows.count, "each pass once")
        for (name, kind, level) in [("dead-code-elimination", "graph", 1), ("constant-folding", "graph", 1),
                                    ("layout-simplification", "graph", 2), ("operator-fusion", "graph", 3),
                                    ("simplify-index", "loop", 1), ("loop-tile", "loop", 2),
                                    ("loop-vectorize", "loop", 3), ("buffer-reuse", "loop", 1)] {
            XCTAssertEqual(byName[name]?.0, kind, name)
            XCTAssertEqual(byName[name]?.1, level, name)
        }
        let kinds = rows.map(\.1)
        XCTAssertEqual(kinds, kinds.sorted { $0 == "graph" && $1 == "loop" }, "graph passes come before loop passes")
        XCTAssertGreaterThan((object["rules"] as? [Any])?.count ?? 0, 10)
    }
}
