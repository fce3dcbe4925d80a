import Backends
import Compiler
import Foundation
import Generator
import ModelIR
import Reference
import TensorCore
import XCTest

/// The slow tier: `GRAPHSMITH_DIFF_MODELS=N` generated models through the VM at O0-O3 and
/// `GRAPHSMITH_DIFF_NATIVE=M` of them natively at O0-O3, against the reference. Skipped when unset.
/// `graphsmith bench differential` measures the same at scale (native code compiled in batches).
final class SlowDifferentialTests: XCTestCase {
    func testManyModelsAtEveryLevel() throws {
        let env = ProcessInfo.processInfo.environment
        guard let n = env["GRAPHSMITH_DIFF_MODELS"].flatMap(Int.init) else { throw XCTSkip("set GRAPHSMITH_DIFF_MODELS to run") }
        let native = env["GRAPHSMITH_DIFF_NATIVE"].flatMap(Int.init) ?? 0
        let generator = try ModelGenerator(library: specLibrary, config: GeneratorConfig())
        var backends: [(CompilerBackend, Int)] = OptimizationLevel.allCases.map { (CompilerBackend(library: specLibrary, level: $0), n) }
        backends += OptimizationLevel.allCases.map { (CompilerBackend(library: specLibrary, level: $0, executor: .native), native) }
        var runs: [String: Int] = [:], failures: [String] = []
        var compared = 0, skipped = 0
        for seed in 0..<UInt64(n) {
            let m = try generator.generate(seed: seed)
            let inputs = m.randomInputs(seed: seed)
            guard let expected = try? Interpreter.outputs(m, library: specLibrary, inputs: inputs) else { skipped += 1; continue }
            compared += 1
            for (b, limit) in backends where seed < UInt64(limit) {
                do {
                    let actual = try b.run(m, inputs: inputs)
                    runs[b.name, default: 0] += 1
                    if !zip(actual, expected).allSatisfy({ Compare.allClose(actual: $0, expected: $1, tolerance: .default(for: $1.dtype)).passed }) {
                        failures.append("\(b.name) seed \(seed): mismatch")
                    }
                } catch {
                    failures.append("\(b.name) seed \(seed): \(error)")
                }
            }
        }
        print("slow differential: \(compared) models compared, \(skipped) skipped (reference error), runs \(runs.sorted { $0.key < $1.key }), \(failures.count) failures")
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
    }
}
