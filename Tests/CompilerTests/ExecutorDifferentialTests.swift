import Backends
import Compiler
import Generator
import ModelIR
import Reference
import TensorCore
import XCTest

/// The whole compiler (graph passes, then the VM or native code) at every level against the reference.
final class ExecutorDifferentialTests: XCTestCase {
    func compare(_ executor: CompilerBackend.Executor, models: Int) throws -> (compared: Int, runs: Int) {
        let generator = try ModelGenerator(library: specLibrary, config: GeneratorConfig())
        let reference = ReferenceBackend(library: specLibrary)
        let backends = OptimizationLevel.allCases.map { CompilerBackend(library: specLibrary, level: $0, executor: executor) }
        var failures: [String] = []
        var compared = 0, runs = 0
        for seed in 0..<UInt64(models) {
            let m = try generator.generate(seed: 1000 + seed)
            let inputs = m.randomInputs(seed: seed)
            guard let expected = try? reference.run(m, inputs: inputs) else { continue }
            compared += 1
            for b in backends {
                do {
                    let actual = try b.run(m, inputs: inputs)
                    runs += 1
                    for (k, (a, e)) in zip(actual, expected).enumerated()
                    where !Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype)).passed {
                        failures.append("\(b.name) seed \(1000 + seed) output \(k) differs")
                    }
                } catch {
                    failures.append("\(b.name) seed \(1000 + seed): \(error)")
                }
            }
        }
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
        print("\(executor): \(compared) models, \(runs) compiled runs at O0-O3, \(failures.count) failures")
        return (compared, runs)
    }

    func testVMAtEveryLevel() throws {
        let r = try compare(.vm, models: 120)
        XCTAssertGreaterThan(r.compared, 100)
    }

    func testNativeAtEveryLevel() throws {
        let r = try compare(.native, models: 30)
        XCTAssertGreaterThan(r.compared, 25)
    }
}
