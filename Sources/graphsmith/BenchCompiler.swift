import ArgumentParser
import Backends
import Bench
import Compiler
import Foundation
import LoopIR

/// `graphsmith bench compiler`: compile and run times on fixed models, with ratios from the same run.
struct BenchCompiler: ParsableCommand {
    /// The JSON form: the machine's peak, then one row per model.
    struct Report: Encodable {
        var machine: MachinePeak
        var models: [CompilerBenchmark.Row]
    }

    static let configuration = CommandConfiguration(
        commandName: "compiler",
        abstract: "Compile time and run time of the reference, the VM and native code at -O3, and onnxruntime.",
        discussion: """
            Fixed models: a small CNN block, an MLP, a long element-wise chain, a reduction-heavy model. \\
            Each run time is the best of --repeats runs; ratios are against the reference interpreter \\
            in the same process. vm-O3 and native-O3 compile and run (graph passes, lowering, loading the \\
            cached shared object) every time; 'vm-O3 run' and 'native-O3 run' compile once and time only the run. \
            'native-O3 kernels' times only the kernels, each operator's buffers filled once; 'onnxruntime in-process' \
            is the worker host's own clock around onnxruntime's run with the session kept (no export, files or pipe). \
            Both run on --threads threads (OpenMP for native code, intra-op threads for onnxruntime) and are also \
            given as GFLOP/s and GB/s against the work of the lowered kernels (operations on values; input and \
            output bytes), next to the machine's peak (clock x vector width from /proc/cpuinfo; a measured copy). \
            Native code computes in float64, onnxruntime in float32. Build with -c release for meaningful times.

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

    @Option(parsing: .unconditional, help: "Threads native code and onnxruntime run on.")
    var threads = 1

    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("A pass the VM and native code run without (repeatable), e.g. operator-fusion to see what fusion gains.", valueName: "pass"))
    var disabledPasses: [String] = []

    func run() throws {
        try FlagChecks.repeats(repeats, "--repeats")
        let known = Set(Pipeline.standard.distinctPasses.map(\.name) + LoopPass.all.map(\.name))
        for p in disabledPasses where !known.contains(p) { throw UserError("unknown pass '\(p)' (see 'graphsmith passes list')") }
        try FlagChecks.jobs(threads, "--threads")
        // Before the OpenMP runtime loads and the onnxruntime host starts: both read these once.
        setenv("OMP_NUM_THREADS", "\(threads)", 1)
        setenv("GRAPHSMITH_ORT_THREADS", "\(threads)", 1)
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
                let t = row.throughput.keys.sorted().map { k in
                    String(format: "%@ %.2f GFLOP/s %.2f GB/s", k, row.throughput[k]!.gflops, row.throughput[k]!.gbPerSecond)
                }
                Console.out("  \(row.work.operations) operations, \(row.work.bytes) bytes: " + t.joined(separator: ", "))
            }
        }
        let peak = MachinePeak.measure(threads: threads)
        if !json {
            if !ortAvailable { Console.out("onnxruntime: not installed, left out") }
            let flops = peak.gflops.map { String(format: "%.1f GFLOP/s", $0) } ?? "unknown GFLOP/s (no clock rate in /proc/cpuinfo)"
            Console.out("machine peak on \(threads) thread(s): \(flops), copy \(String(format: "%.1f", peak.copyGBPerSecond)) GB/s")
        } else {
            try Console.json(Report(machine: peak, models: rows))
        }
    }
}
