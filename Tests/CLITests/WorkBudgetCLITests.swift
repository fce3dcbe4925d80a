import Foundation
import TestSupport
import XCTest

/// `run` refuses a model whose estimated work or memory on the reference is over budget, before allocating anything,
/// with one line naming the node and the flag that raises the budget; models within budget run as before.
final class WorkBudgetCLITests: XCTestCase {
    /// A text model file in a fresh folder.
    func modelFile(_ lines: [String]) throws -> String {
        let url = try temporaryDirectory(self).appendingPathComponent("model.txt")
        try Data((["graphsmith-model 1"] + lines).joined(separator: "\n").appending("\n").utf8).write(to: url)
        return url.path
    }

    /// `y = a @ b` with `a: f32[m, k]` and `b: f32[k, n]`.
    func matMul(_ m: Int, _ k: Int, _ n: Int) throws -> String {
        try modelFile(["input a: f32[\(m), \(k)]", "input b: f32[\(k), \(n)]", "node y: f32[\(m), \(n)] = MatMul(a, b)", "output y"])
    }

    /// Runs `graphsmith run ARGS` and checks it fails with one user-error line that names each of `names`.
    @discardableResult
    func refusal(_ arguments: [String], naming names: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try Graphsmith.run(["run"] + arguments + ["--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, r.stderr, file: file, line: line)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr, file: file, line: line)
        for name in names { XCTAssertTrue(r.stderr.contains(name), "names \(name): \(r.stderr)", file: file, line: line) }
        return r.stderr
    }

    /// 10,000 x 10,000 x 10,000 is about 10^13 operations: refused at once, naming the MatMul.
    func testTenThousandSquaredMatMulIsRefused() throws {
        let path = try matMul(10_000, 10_000, 10_000)
        let line = try refusal([path], naming: [path, "'y' (MatMul, f32[10000, 10000])", "--max-work", "work budget"])
        XCTAssertTrue(line.contains("e13 scalar operations"), line)
    }

    /// 4096^3 is refused on the reference and on the in-repo compiler's executors alike.
    func testCubeOf4096IsRefusedOnEveryInRepoBackend() throws {
        let path = try matMul(4096, 4096, 4096)
        for backend in ["reference", "vm", "compiler"] {
            try refusal([path, "--backend", backend], naming: ["'y' (MatMul", "--max-work"])
        }
    }

    /// A tensor at the element cap with the work budget raised: 2 GiB of input and its result as scalars exceed 4 GiB.
    func testMemoryOverBudgetNamesTheNode() throws {
        let path = try modelFile(["input x: f32[16384, 16384]", "node y: f32[16384, 16384] = Relu(x)", "output y"])
        let line = try refusal([path, "--max-work", "100000000000"],
                               naming: ["'y' (Relu, f32[16384, 16384])", "--max-memory", "memory budget of 4096 MiB"])
        XCTAssertFalse(line.contains("--max-work"), line)
    }

    /// Inputs alone over budget name the largest input.
    func testInputsOverBudgetNameTheInput() throws {
        let path = try modelFile(["input x: f32[1024, 1024]", "node y: f32[1024, 1024] = Relu(x)", "output y"])
        try refusal([path, "--max-memory", "1"], naming: ["inputs and weights", "'x'", "--max-memory"])
    }

    /// The budgets are flags: a small model over a tiny budget is refused, the same model runs by default.
    func testBudgetsAreFlagsAndANormalModelRuns() throws {
        let path = try matMul(2, 3, 4)
        try refusal([path, "--max-work", "10"], naming: ["'y' (MatMul, f32[2, 4])", "--max-work"])
        try refusal([path, "--max-work", "-1"], naming: ["--max-work must be at least 1"])
        try refusal([path, "--max-memory", "0"], naming: ["--max-memory must be at least 1"])
        let r = try Graphsmith.run(["run", path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("output y: f32[2, 4]"), r.stdout)
        XCTAssertEqual(r.stderr, "", "a quick run prints no progress when stderr is not a terminal")
    }

    /// --progress prints node k of N on stderr from the start, even when stderr is not a terminal.
    func testProgressFlagPrintsNodeCounts() throws {
        let path = try modelFile(["input x: f32[2, 3]", "node h: f32[2, 3] = Relu(x)", "node y: f32[2, 3] = Neg(h)", "output y"])
        let r = try Graphsmith.run(["run", path, "--progress", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("reference, nodes: 1/2"), r.stderr)
        XCTAssertTrue(r.stderr.contains("reference, nodes: 2/2 (100%"), r.stderr)
        XCTAssertTrue(r.stdout.contains("output y: f32[2, 3]"), r.stdout)
    }

    /// Ten lines of text whose constant folding is 8 MatMuls of 256^3 (about 1.5e9 operations; before the budget it had
    /// not finished after 30 s, and at the measured 10^6 a second would take about 25 min):
    /// `compile` refuses at -O1, naming a MatMul; -O0 does not fold and compiles.
    func testCompileRefusesConstantFoldingOverBudget() throws {
        let chain = (1...8).map { "node m\($0): f32[256, 256] = MatMul(\($0 == 1 ? "e" : "m\($0 - 1)"), e)" }
        let path = try modelFile(["weight w: f32[] = 3f800000", "node e: f32[256, 256] = Expand(w) {n = 2, shape = [256, 256]}"]
            + chain + ["output m8"])
        let r = try Graphsmith.run(["compile", path, "-O1", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
        for name in ["constant folding", "(MatMul, f32[256, 256])", "--max-work"] { XCTAssertTrue(r.stderr.contains(name), r.stderr) }
        let plain = try Graphsmith.run(["compile", path, "-O0", "--specs", repositorySpecs])
        XCTAssertEqual(plain.status, 0, plain.stderr)
    }
}
