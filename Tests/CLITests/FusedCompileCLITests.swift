import Foundation
import TestSupport
import XCTest

/// `compile --dump-loops` on a fused group, `--inject-fault` for every fault, and `bench differential`.
final class FusedCompileCLITests: XCTestCase {
    let model = """
        graphsmith-model 1
        input x: f32[2, 3]
        node a: f32[2, 3] = Exp(x)
        node b: f32[2, 3] = Neg(a)
        node y: f32[2, 3] = Relu(b)
        output y

        """

    func write(_ dir: URL) throws -> String {
        let file = dir.appendingPathComponent("m.txt")
        try model.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func testAFusedChainIsOneKernelUnlessInliningIsOff() throws {
        let file = try write(try temporaryDirectory(self))
        let fused = try Graphsmith.run(["compile", file, "-O3", "--dump-loops", "--specs", repositorySpecs])
        XCTAssertEqual(fused.status, 0, fused.stderr)
        XCTAssertTrue(fused.stdout.contains("kernels: 1 over 1 operators"), fused.stdout)
        XCTAssertTrue(fused.stdout.contains("# Exp+Neg+Relu"), fused.stdout)
        // Each inlined producer rounds to f32, as its stored tensor would have.
        XCTAssertTrue(fused.stdout.contains("max(f32(-f32(exp(b0[((i0 * 3) + i1)]))), 0)"), fused.stdout)
        let staged = try Graphsmith.run(["compile", file, "-O3", "--dump-loops", "--disable-pass", "inline-injective-producers", "--specs", repositorySpecs])
        XCTAssertTrue(staged.stdout.contains("kernels: 3 over 1 operators"), staged.stdout)
        let unfused = try Graphsmith.run(["compile", file, "-O2", "--specs", repositorySpecs])
        XCTAssertTrue(unfused.stdout.contains("kernels: 3 over 3 operators"), unfused.stdout)
    }

    func testEveryFaultIsAcceptedByName() throws {
        let file = try write(try temporaryDirectory(self))
        let list = try Graphsmith.run(["faults", "list"])
        // The compiler's faults; the test-worker faults of `fuzz` are listed apart and only `fuzz` takes them.
        let names = list.stdout.split(separator: "\n").filter { !$0.contains("[test worker") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        // The 15 built-in faults and the five written later to measure the fuzzer (the README says 20).
        XCTAssertEqual(names.count, 20, list.stdout)
        for name in names {
            let r = try Graphsmith.run(["run", file, "--backend", "compiler", "-O3", "--inject-fault", name, "--specs", repositorySpecs])
            XCTAssertTrue(r.status == 0 || r.status == 1, "\(name): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("unknown fault"), r.stderr)
        }
    }

    func testBenchDifferentialPrintsCounts() throws {
        let r = try Graphsmith.run(["bench", "differential", "--models", "3", "--native-models", "1", "--cc-opt", "O0", "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("differential: 3 models"), r.stdout)
        XCTAssertTrue(r.stdout.contains("vm-O3: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("native-O0: "), r.stdout)
        let bad = try Graphsmith.run(["bench", "differential", "--cc-opt", "fast", "--specs", repositorySpecs])
        XCTAssertEqual(bad.status, 2)
    }
}
