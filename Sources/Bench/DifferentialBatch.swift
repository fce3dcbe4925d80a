import Backends
import Compiler
import Foundation
import Generator
import InputSearch
import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore

/// One batch of `bench differential`: its models on the VM at every level, then natively from one shared object.
struct DifferentialBatch {
    let library: SpecLibrary
    let generator: ModelGenerator
    let seeds: [UInt64]
    /// The first this many models of the batch also run natively.
    let nativeCount: Int
    /// The C compiler's optimization flag.
    let ccOpt: String

    struct Case {
        var seed: UInt64
        var inputs: [String: Tensor]
        var expected: [Tensor]
        var lowered: [(OptimizationLevel, LoweredModel)]
    }

    func run() -> DifferentialSummary {
        var s = DifferentialSummary()
        var cases: [Case] = []
        for (k, seed) in seeds.enumerated() {
            guard let generated = try? generator.generate(seed: seed) else { s.skipped += 1; continue }
            // Inputs (and float weights) from the input search, as a campaign's, so that few models are left out.
            let found = InputSearch(library: library).search(generated, seed: seed)
            let m = found.model, inputs = found.inputs
            guard let instances = try? Verifier.verify(m, library: library),
                  let values = try? Interpreter.run(m, library: library, inputs: inputs),
                  TestValidity.violation(m, instances: instances, values: values) == nil else { s.skipped += 1; continue }
            let expected = m.outputs.map { values[$0]! }
            s.compared += 1
            var c = Case(seed: seed, inputs: inputs, expected: expected, lowered: [])
            for level in OptimizationLevel.allCases {
                let vm = "vm-\(level)"
                s.runs[vm, default: 0] += 1
                do {
                    let lowered = try CompilerBackend(library: library, level: level).lower(m)
                    c.lowered.append((level, lowered))
                    let actual = try NativeBatch.runOnVM(lowered, inputs: inputs)
                    check(actual, c, vm, &s)
                } catch {
                    record(error: "\(error)", seed, vm, &s)
                }
            }
            if k < nativeCount { cases.append(c) }
        }
        runNative(cases, &s)
        return s
    }

    private func runNative(_ cases: [Case], _ s: inout DifferentialSummary) {
        guard !cases.isEmpty else { return }
        let runs = cases.flatMap { c in c.lowered.map { (c, "native-\($0.0)") } }
        let batch: NativeBatch
        do { batch = try NativeBatch(cases.flatMap { $0.lowered.map(\.1) }, optimization: ccOpt) } catch {
            for (c, name) in runs { s.runs[name, default: 0] += 1; record(error: "\(error)", c.seed, name, &s) }
            return
        }
        for (k, (c, name)) in runs.enumerated() {
            s.runs[name, default: 0] += 1
            do { check(try batch.run(k, inputs: c.inputs), c, name, &s) } catch { record(error: "\(error)", c.seed, name, &s) }
        }
    }

    private func check(_ actual: [Tensor], _ c: Case, _ name: String, _ s: inout DifferentialSummary) {
        let same = actual.count == c.expected.count && zip(actual, c.expected).allSatisfy {
            Compare.allClose(actual: $0, expected: $1, tolerance: .default(for: $1.dtype)).passed
        }
        if same && actual == c.expected { s.bitIdentical[name, default: 0] += 1 }
        if !same {
            s.mismatches[name, default: 0] += 1
            if s.examples.count < 10 { s.examples.append("\(name) seed \(c.seed): mismatch") }
        }
    }

    private func record(error: String, _ seed: UInt64, _ name: String, _ s: inout DifferentialSummary) {
        s.errors[name, default: 0] += 1
        if s.examples.count < 10 { s.examples.append("\(name) seed \(seed): \(error)") }
    }
}
