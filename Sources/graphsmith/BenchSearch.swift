import ArgumentParser
import Foundation
import Generator
import InputSearch
import ModelIR
import SpecLib

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

    @Option(help: "Models per size.")
    var models = 1000

    @Option(help: "The first seed.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Model sizes in operators (comma-separated).", valueName: "sizes"))
    var sizes = "10,20,30"

    @Option(help: "Largest number of elements of any tensor (default: fuzz's, \(FuzzCommand.defaultMaxElements), the models the search serves).")
    var maxElements = FuzzCommand.defaultMaxElements

    @Option(help: "Time budget per model in seconds.")
    var budget = SearchConfig().timeBudget

    @Option(help: "Adam's step size.")
    var learningRate = SearchConfig().learningRate

    @Option(help: "Steps without progress before the search redraws everything.")
    var patience = SearchConfig().patience

    @Flag(help: "Generate without the feasibility check (models may have no finite state at all).")
    var noValueCheck = false

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print each model that the search did not repair, with why.")
    var verbose = false

    struct Row: Encodable {
        var nodes: Int
        var models: Int
        var successRate: Double
        var randomSuccessRate: Double
        var medianMs: Double
        var p95Ms: Double
        var p99Ms: Double
        var maxMs: Double
        var meanSteps: Double
        var failures: [String]
    }

    func run() throws {
        guard models >= 1 else { throw UserError("--models must be at least 1") }
        guard maxElements >= 1 else { throw UserError("--max-elements must be at least 1") }
        guard budget > 0 else { throw UserError("--budget must be positive") }
        guard learningRate > 0, patience >= 1 else { throw UserError("--learning-rate must be positive and --patience at least 1") }
        let counts = try GeneratorOptions.list(sizes).map { s -> Int in
            guard let n = Int(s), n >= 1 else { throw UserError("--sizes takes positive integers, got '\(s)'") }
            return n
        }
        let library = try specs.loadLibrary()
        let search = InputSearch(library: library, config: SearchConfig(timeBudget: budget, learningRate: learningRate, patience: patience))
        let plain = InputSearch(library: library, config: SearchConfig(timeBudget: .infinity, maxSteps: 0))
        var rows: [Row] = []
        for nodes in counts {
            var config = GeneratorConfig()
            config.nodes = nodes
            config.maxElements = maxElements
            let gen = try asUserError("bench") {
                try ModelGenerator(library: library, config: config, feasibility: noValueCheck ? nil : SearchFeasibility(library: library))
            }
            var times: [Double] = [], ok = 0, randomOk = 0, steps = 0, failures: [String] = []
            for k in 0..<models {
                let s = seed + UInt64(k)
                let model = try gen.generate(seed: s)
                if plain.search(model, seed: s).finite { randomOk += 1 }
                let outcome = search.search(model, seed: s)
                times.append(outcome.seconds * 1000)
                steps += outcome.steps
                if outcome.finite { ok += 1 } else { failures.append("seed \(s): \(outcome.violation ?? "?")") }
            }
            times.sort()
            func pct(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count - 1) * p))] }
            let row = Row(nodes: nodes, models: models, successRate: Double(ok) / Double(models),
                          randomSuccessRate: Double(randomOk) / Double(models), medianMs: pct(0.5), p95Ms: pct(0.95),
                          p99Ms: pct(0.99), maxMs: times.last ?? 0, meanSteps: Double(steps) / Double(models), failures: failures)
            rows.append(row)
            if !json {
                Console.out(String(format: "%3d ops: search %d/%d (%.1f%%)  random inputs %d/%d (%.1f%%)  median %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  mean steps %.1f",
                                   nodes, ok, models, 100 * row.successRate, randomOk, models, 100 * row.randomSuccessRate,
                                   row.medianMs, row.p95Ms, row.p99Ms, row.maxMs, row.meanSteps))
                if verbose { failures.forEach { Console.out("  not repaired: \($0)") } }
            }
        }
        if json { try Console.json(rows) }
    }
}
