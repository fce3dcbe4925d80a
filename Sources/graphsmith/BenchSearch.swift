import ArgumentParser
import Bench
import Generator
import InputSearch

/// `graphsmith bench search`: success rate and time of the input search at 10, 20 and 30 operators.
struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Input search: share of models made NaN/Inf-free, and search time, at 10, 20 and 30 operators.",
        discussion: """
            Generates --models models at each size with every operator allowed (unsafe ones such as \
            Log, Div, Pow, Sqrt, Asin included), runs the gradient-based input search on each, and \
            prints the share that reached a state where every value is finite and every domain \
            holds, the search time percentiles (median, p95, p99, max), and for comparison the share \
            for which plain random inputs (Model.randomInputs) already did. Build with -c release \
            for meaningful times.

            Examples:
              swift build -c release --product graphsmith && .build/release/graphsmith bench search
              graphsmith bench search --models 200 --json
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(parsing: .unconditional, help: "Models per size.")
    var models = 1000

    @Option(parsing: .unconditional, help: "The first seed.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: ArgumentHelp("Model sizes in operators (comma-separated).", valueName: "sizes"))
    var sizes = "10,20,30"

    @Option(parsing: .unconditional, help: "Largest number of elements of any tensor (default: fuzz's, \(FuzzCommand.defaultMaxElements), the models the search serves).")
    var maxElements = FuzzCommand.defaultMaxElements

    @Option(parsing: .unconditional, help: "Time budget per model in seconds.")
    var budget = SearchConfig().timeBudget

    @Option(parsing: .unconditional, help: "Adam's step size.")
    var learningRate = SearchConfig().learningRate

    @Option(parsing: .unconditional, help: "Steps without progress before the search redraws everything.")
    var patience = SearchConfig().patience

    @Flag(help: "Generate without the feasibility check (models may have no finite state at all).")
    var noValueCheck = false

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print each model that the search did not repair, with why.")
    var verbose = false

    func run() throws {
        try FlagChecks.count(models, "--models")
        guard maxElements >= 1 else { throw UserError("--max-elements must be at least 1") }
        guard budget > 0 else { throw UserError("--budget must be positive") }
        guard learningRate > 0, patience >= 1 else { throw UserError("--learning-rate must be positive and --patience at least 1") }
        let counts = try BenchGen.sizes(sizes)
        let library = try specs.loadLibrary()
        let bench = SearchBenchmark(library: library, config: SearchConfig(timeBudget: budget, learningRate: learningRate, patience: patience))
        var rows: [SearchBenchmark.Row] = []
        for nodes in counts {
            let settings = GenerationSettings(nodes: nodes, maxElements: maxElements, valueCheck: !noValueCheck)
            let gen = try asUserError("bench") { try settings.generator(library: library) }
            let row = try bench.measure(gen, models: models, seed: seed)
            rows.append(row)
            if !json {
                Console.out(String(format: "%3d ops: search %d/%d (%.1f%%)  random inputs %d/%d (%.1f%%)  median %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  mean steps %.1f",
                                   nodes, row.repaired, models, 100 * row.successRate, row.randomRepaired, models, 100 * row.randomSuccessRate,
                                   row.medianMs, row.p95Ms, row.p99Ms, row.maxMs, row.meanSteps))
                if verbose { row.failures.forEach { Console.out("  not repaired: \($0)") } }
            }
        }
        if json { try Console.json(rows) }
    }
}
