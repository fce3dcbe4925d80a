import Foundation
import Generator
import ModelIR
import Reference
import SpecLib

/// Generation speed and validity at one model size (`bench gen`).
public enum GeneratorBenchmark {
    /// One size's measurements.
    public struct Row: Encodable, Sendable {
        public var nodes: Int
        public var models: Int
        public var modelsPerSecond: Double
        public var medianMs: Double
        public var p95Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        /// The same on this thread's CPU clock: what the generator costs, without waiting for a shared core.
        public var cpuMedianMs: Double
        public var cpuP99Ms: Double
        public var valid: Int
        public var validityRate: Double
        public var forwardInsertions: Int
        public var forwardFailed: Int
        public var backwardInsertions: Int
        public var backwardFailed: Int
        /// Insertions undone because the feasibility check found no finite state for them.
        public var infeasible: Int
    }

    /// Generates `models` models (seeds `seed` on) on this thread and times each, then checks each is valid: the
    /// verifier, and for 10-operator models a run on the reference. Also returns why each invalid model is invalid.
    public static func measure(_ generator: ModelGenerator, library: SpecLibrary, models: Int, seed: UInt64) throws -> (row: Row, invalid: [String]) {
        let nodes = generator.config.nodes
        var times: [Double] = [], cpuTimes: [Double] = []
        var generated: [Model] = []
        var stats = ModelGenerator.Stats()
        for k in 0..<models {
            let start = Timing.milliseconds(), cpuStart = Timing.threadCPUMilliseconds()
            let m = try generator.generate(seed: seed &+ UInt64(k), stats: &stats)
            times.append(Timing.milliseconds() - start)
            cpuTimes.append(Timing.threadCPUMilliseconds() - cpuStart)
            generated.append(m)
        }
        var invalid: [String] = []
        for (k, m) in generated.enumerated() {
            do {
                try Verifier.verify(m, library: library)
                if nodes == 10 { _ = try Interpreter.outputs(m, library: library, inputs: m.randomInputs(seed: seed &+ UInt64(k))) }
            } catch {
                invalid.append("seed \(seed &+ UInt64(k)): \(error)")
            }
        }
        times.sort()
        cpuTimes.sort()
        let valid = models - invalid.count
        let row = Row(nodes: nodes, models: models, modelsPerSecond: 1000 * Double(models) / times.reduce(0, +),
                      medianMs: Timing.percentile(0.5, of: times), p95Ms: Timing.percentile(0.95, of: times),
                      p99Ms: Timing.percentile(0.99, of: times), maxMs: times.last ?? 0,
                      cpuMedianMs: Timing.percentile(0.5, of: cpuTimes), cpuP99Ms: Timing.percentile(0.99, of: cpuTimes),
                      valid: valid, validityRate: Double(valid) / Double(models),
                      forwardInsertions: stats.forward, forwardFailed: stats.failedForward,
                      backwardInsertions: stats.backward, backwardFailed: stats.failedBackward, infeasible: stats.infeasible)
        return (row, invalid)
    }
}
