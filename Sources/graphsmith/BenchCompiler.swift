import ArgumentParser
import Backends
import Bench
import Compiler
import Foundation
import LoopIR

/// `graphsmith bench compiler`: compile and run times on fixed models, with ratios from the same run.
struct BenchCompiler: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compiler",
        abstract: "Compile time and run time of the reference, the VM and native code at -O3, and onnxruntime.",
        discussion: """
            Fixed models: a small CNN block, an MLP, a long element-wise chain, a reduction-heavy model. \\
            Each run time is the best of --repeats runs; ratios are against the reference interpreter \\
            in the same process. vm-O3 and native-O3 compile and run (graph passes, lowering, loading the \\
            cached shared object) every time; 'vm-O3 run' and 'native-O3 run' compile once and time only the run. Build with -c release for meaningful times.

            Examples:
              swift build -c release && .build/release/graphsmith bench compiler
              graphsmith bench compiler --repeats 5 --json
              graphsmith bench compiler --disable-pass operator-fusion
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(parsing: .unconditional, help: "Runs per measurement (the best counts).")
    var repeats = 3

    @Flag(help: "Print JSON.")
    var json = false

    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("A pass the VM and native code run without (repeatable), e.g. operator-fusion to see what fusion gains.", valueName: "pass"))
    var disabledPasses: [String] = []

    func run() throws {
        try FlagChecks.repeats(repeats, "--repeats")
        let known = Set(Pipeline.standard.distinctPasses.map(\.name) + LoopPass.all.map(\.name))
        for p in disabledPasses where !known.contains(p) { throw UserError("unknown pass '\(p)' (see 'graphsmith passes list')") }
        let library = try specs.loadLibrary()
        let ort = ExternalBackend.onnxruntime(library: library)
        let ortAvailable = ort.unavailableReason() == nil
        let bench = CompilerBenchmark(library: library, repeats: repeats, disabledPasses: Set(disabledPasses), onnxruntime: ortAvailable ? ort : nil)
        var rows: [CompilerBenchmark.Row] = []
        for (name, model) in try BenchModels.all(library) {
            let row = try bench.measure(name, model)
            rows.append(row)
            if !json {
                let (runs, speedups, compile) = (row.runMs, row.speedupOverReference, row.compileMs)
                let r = runs.keys.sorted().map { String(format: "%@ %.2f ms", $0, runs[$0]!) }.joined(separator: ", ")
                let s = speedups.keys.sorted().map { String(format: "%@ %.1fx", $0, speedups[$0]!) }.joined(separator: ", ")
                let c = compile.keys.sorted().map { String(format: "%@ %.1f ms", $0, compile[$0]!) }.joined(separator: ", ")
                Console.out("\(name) (\(model.nodes.count) nodes): run \(r); vs reference \(s); compile \(c)")
            }
        }
        if !ortAvailable && !json { Console.out("onnxruntime: not installed, left out") }
        if json {
            try Console.json(rows)
        }
    }
}
