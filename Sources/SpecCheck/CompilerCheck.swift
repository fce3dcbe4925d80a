import Backends
import Compiler
import LoopIR
import ModelIR
import TensorCore

/// The `compiler` check of `specs test`: the instance's one-node model through the compiler at every level.
extension OpCheck {
    /// With `--all`, instances whose number is a multiple of this also run as native code (named operators run every
    /// instance natively). Native code costs one C compiler run per instance (all four levels share one shared
    /// object), so sampling keeps `specs test --all` quick.
    public static let nativeEvery = 4

    public static let compiler = OpCheck(
        name: "compiler",
        summary: "compiled at -O0..-O3, the VM gives the reference's outputs bit for bit, and native code within tolerance (with --all, every \(nativeEvery)th instance)"
    ) { c in
        var levels: [(level: OptimizationLevel, lowered: LoweredModel)] = []
        for level in OptimizationLevel.allCases {
            do { levels.append((level, try CompilerBackend(library: c.library, level: level).lower(c.model))) } catch {
                throw CheckFailure("\(level): does not compile: \(error)")
            }
        }
        for (level, lowered) in levels {
            let actual = try outputs("VM at \(level)") { try NativeBatch.runOnVM(lowered, inputs: c.modelInputs) }
            for (k, (a, e)) in zip(actual, c.outputs).enumerated() where a != e {
                throw CheckFailure("VM at \(level): output \(k) differs from the reference (first at element \(a.bits.indices.first { a.bits[$0] != e.bits[$0] } ?? 0))")
            }
        }
        guard c.index % c.nativeEvery == 0 else { return }
        let batch: NativeBatch
        do { batch = try NativeBatch(levels.map(\.lowered)) } catch { throw CheckFailure("native: \(error)") }
        for (n, level) in levels.map(\.level).enumerated() {
            let actual = try outputs("native at \(level)") { try batch.run(n, inputs: c.modelInputs) }
            for (k, (a, e)) in zip(actual, c.outputs).enumerated() {
                let report = Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype))
                guard report.passed else {
                    throw CheckFailure("native at \(level): output \(k) differs from the reference (\(report.mismatches) elements, max abs error \(report.maxAbsError))")
                }
            }
        }
    }

    /// The outputs `run` gives; its failure is a check failure naming `what`.
    private static func outputs(_ what: String, _ run: () throws -> [Tensor]) throws -> [Tensor] {
        do { return try run() } catch { throw CheckFailure("\(what): \(error)") }
    }
}
