import ArgumentParser
import Bench
import Generator

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
              graphsmith bench compile-scaling --sizes 500,5000
              graphsmith bench search
            """,
        subcommands: [BenchGen.self, BenchCompiler.self, BenchCompileScaling.self, BenchFuzz.self, BenchSearch.self, BenchDifferential.self]
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

    @Option(parsing: .unconditional, help: "Models per size.")
    var models = 500

    @Option(parsing: .unconditional, help: "The first seed.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Model sizes in operators (comma-separated).", valueName: "sizes"))
    var sizes = "10,30,100"

    func run() throws {
        try FlagChecks.count(models, "--models")
        let library = try specs.loadLibrary()
        var rows: [GeneratorBenchmark.Row] = []
        for nodes in try Self.sizes(sizes) {
            let gen = try generator.generator(library: library, nodes: nodes)
            let (row, invalid) = try GeneratorBenchmark.measure(gen, library: library, models: models, seed: seed)
            rows.append(row)
            if !json {
                invalid.prefix(5).forEach { Console.out("  invalid: \($0)") }
                Console.out(String(format: "%3d ops: %7.1f models/s  median %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (cpu: median %.3f ms  p99 %.3f ms)  valid %d/%d  (insertions failed: forward %d/%d, backward %d/%d; undone as infeasible %d)",
                                   nodes, row.modelsPerSecond, row.medianMs, row.p95Ms, row.p99Ms, row.maxMs, row.cpuMedianMs, row.cpuP99Ms, row.valid, models,
                                   row.forwardFailed, row.forwardInsertions, row.backwardFailed, row.backwardInsertions, row.infeasible))
            }
        }
        if json {
            try Console.json(rows)
        }
    }

    /// `--sizes` as positive operator counts.
    static func sizes(_ text: String) throws -> [Int] {
        try GenerationSettings.list(text).map { s -> Int in
            guard let n = Int(s), n >= 1 else { throw UserError("--sizes takes positive integers, got '\(s)'") }
            try FlagChecks.nodes(n, "--sizes")
            return n
        }
    }
}
