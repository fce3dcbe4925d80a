import ArgumentParser
import Foundation
import Generator
import ModelIR
import Reference
import SpecLib

/// `graphsmith bench ...`: benchmarks that print numbers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print numbers.",
        discussion: """
            Examples:
              graphsmith bench gen
              graphsmith bench gen --models 2000 --json
              graphsmith bench compiler
              graphsmith bench search
            """,
        subcommands: [BenchGen.self, BenchCompiler.self, BenchFuzz.self, BenchSearch.self, BenchDifferential.self]
    )
}

/// `graphsmith bench gen`: generation speed and validity at 10, 30 and 100 operators.
struct BenchGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generation speed (models/s, latency percentiles) and validity at 10, 30 and 100 operators.",
        discussion: """
            Generates --models models at each size on one core and times each; then checks the \
            validity of every generated model (the verifier, and a run on the reference interpreter \
            for the 10-operator models). Build with -c release for meaningful times. Times are wall clock; \
            the cpu columns are the thread's CPU time, which a machine shared with other work does not inflate.

            Examples:
              swift build -c release && .build/release/graphsmith bench gen
              graphsmith bench gen --models 200 --json
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var generator: GeneratorOptions

    @Option(help: "Models per size.")
    var models = 500

    @Option(help: "The first seed.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Model sizes in operators (comma-separated).", valueName: "sizes"))
    var sizes = "10,30,100"

    struct Row: Encodable {
        var nodes: Int
        var models: Int
        var modelsPerSecond: Double
        var medianMs: Double
        var p95Ms: Double
        var p99Ms: Double
        var maxMs: Double
        /// The same on this thread's CPU clock: what the generator costs, without waiting for a shared core.
        var cpuMedianMs: Double
        var cpuP99Ms: Double
        var valid: Int
        var validityRate: Double
        var forwardInsertions: Int
        var forwardFailed: Int
        var backwardInsertions: Int
        var backwardFailed: Int
        /// Insertions undone because the feasibility check found no finite state for them.
        var infeasible: Int
    }

    func run() throws {
        let library = try specs.loadLibrary()
        var rows: [Row] = []
        let counts = try GeneratorOptions.list(sizes).map { s -> Int in
            guard let n = Int(s), n >= 1 else { throw UserError("--sizes takes positive integers, got '\(s)'") }
            return n
        }
        for nodes in counts {
            let gen = try generator.generator(library: library, nodes: nodes)
            var times: [Double] = [], cpuTimes: [Double] = []
            var generated: [Model] = []
            var stats = ModelGenerator.Stats()
            for k in 0..<models {
                let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUMilliseconds()
                let m = try gen.generate(seed: seed + UInt64(k), stats: &stats)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpuTimes.append(threadCPUMilliseconds() - cpuStart)
                generated.append(m)
            }
            var valid = 0
            var invalid: [String] = []
            for (k, m) in generated.enumerated() {
                do {
                    try Verifier.verify(m, library: library)
                    if nodes == 10 { _ = try Interpreter.outputs(m, library: library, inputs: m.randomInputs(seed: seed + UInt64(k))) }
                    valid += 1
                } catch {
                    invalid.append("seed \(seed + UInt64(k)): \(error)")
                }
            }
            if !json { invalid.prefix(5).forEach { Console.out("  invalid: \($0)") } }
            times.sort()
            cpuTimes.sort()
            func pct(_ p: Double, _ xs: [Double]? = nil) -> Double {
                let xs = xs ?? times
                return xs[min(xs.count - 1, Int(Double(xs.count - 1) * p))]
            }
            let row = Row(nodes: nodes, models: models, modelsPerSecond: 1000 * Double(models) / times.reduce(0, +),
                          medianMs: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99), maxMs: times.last ?? 0,
                          cpuMedianMs: pct(0.5, cpuTimes), cpuP99Ms: pct(0.99, cpuTimes),
                          valid: valid, validityRate: Double(valid) / Double(models),
                          forwardInsertions: stats.forward, forwardFailed: stats.failedForward,
                          backwardInsertions: stats.backward, backwardFailed: stats.failedBackward, infeasible: stats.infeasible)
            rows.append(row)
            if !json {
                Console.out(String(format: "%3d ops: %7.1f models/s  median %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (cpu: median %.3f ms  p99 %.3f ms)  valid %d/%d  (insertions failed: forward %d/%d, backward %d/%d; undone as infeasible %d)",
                                   nodes, row.modelsPerSecond, row.medianMs, row.p95Ms, row.p99Ms, row.maxMs, row.cpuMedianMs, row.cpuP99Ms, valid, models,
                                   stats.failedForward, stats.forward, stats.failedBackward, stats.backward, stats.infeasible))
            }
        }
        if json {
            try Console.json(rows)
        }
    }
}

/// This thread's CPU time in milliseconds (not advanced while the thread waits for a core).
func threadCPUMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
}
