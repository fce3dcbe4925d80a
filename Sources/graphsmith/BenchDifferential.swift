import ArgumentParser
import Bench
import Foundation

/// `graphsmith bench differential`: the compiler's acceptance measurement, generated models through the VM and
/// native code at every level against the reference, with exact counts.
struct BenchDifferential: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "differential",
        abstract: "Generated models through the compiler (VM and native, -O0 to -O3) against the reference: counts of agreements, mismatches and errors.",
        discussion: """
            Model k has seed --seed + k. Inputs come from the input search; a model the reference cannot \
            run (an integer division by zero), or whose values leave an operator's domain or are not finite (a \
            cast of infinity to an integer is undefined), is skipped; for every other model each configuration must give the reference's \
            outputs within the default tolerance of the output dtype, and any error is counted as a crash. \
            Native code is compiled in batches: the four levels of --batch models go into one C file and one \
            compiler run (the C compiler's start-up dominates small files). Work is split over --jobs threads.

            Examples:
              swift build -c release && .build/release/graphsmith bench differential --models 10000
              graphsmith bench differential --models 200 --native-models 50 --cc-opt O0 --json
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(parsing: .unconditional, help: "Models to generate.")
    var models = 1000

    @Option(parsing: .unconditional, help: "Of those, how many (the first) also run natively (default: all).")
    var nativeModels: Int?

    @Option(parsing: .unconditional, help: "Seed of the first model.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Operators per model.")
    var nodes = 10

    @Option(parsing: .unconditional, help: "Models per native compiler run.")
    var batch = 25

    @Option(parsing: .unconditional, help: "Worker threads.")
    var jobs = 2

    @Option(help: ArgumentHelp("The C compiler's optimization level for native code: O0 compiles faster (the generated C is the same).", valueName: "level"))
    var ccOpt = "O1"

    /// `--cc-opt` as a compiler flag.
    var ccFlag: String { ccOpt.hasPrefix("-") ? ccOpt : "-" + ccOpt }

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard ["-O0", "-O1", "-O2", "-O3", "-Os"].contains(ccFlag) else { throw ValidationError("--cc-opt must be one of O0, O1, O2, O3, Os") }
    }

    func run() throws {
        // Checked here, not in validate(), which would wrap the one-line error in usage text.
        try FlagChecks.count(models, "--models")
        try FlagChecks.nodes(nodes)
        try FlagChecks.atLeast(1, batch, "--batch")
        try FlagChecks.jobs(jobs)
        if let n = nativeModels { try FlagChecks.atLeast(0, n, "--native-models") }
        let library = try specs.loadLibrary()
        let bench = DifferentialBenchmark(library: library, models: models, nativeModels: nativeModels ?? models, seed: seed, nodes: nodes,
                                          batch: batch, jobs: jobs, ccOpt: ccFlag)
        let quiet = json
        let summary = bench.run { done, totals in if !quiet { Console.out("  \(done) models: " + totals.counts) } }
        if json { try Console.json(summary); return }
        Console.out("differential: \(summary.models) models (seeds \(seed)...\(seed &+ UInt64(models) &- 1), \(nodes) operators), "
                    + "\(summary.compared) compared, \(summary.skipped) skipped (no valid test: reference error, value outside a domain or not finite), \(String(format: "%.0f", summary.seconds)) s")
        for name in summary.runs.keys.sorted() {
            Console.out("  \(name): \(summary.runs[name]!) runs, \(summary.mismatches[name] ?? 0) mismatches, \(summary.errors[name] ?? 0) errors"
                        + " (\(summary.bitIdentical[name] ?? 0) bit-identical to the reference)")
        }
        for e in summary.examples.prefix(10) { Console.out("  e.g. \(e)") }
    }
}
