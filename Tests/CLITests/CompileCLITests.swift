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
        XCTAssertTrue(r.stdout.contains("O1  dead-code-elimination"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Neg.double_neg: Neg(Neg(X)) == X"), r.stdout)
    }
}
