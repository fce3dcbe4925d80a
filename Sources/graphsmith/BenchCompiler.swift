import ArgumentParser
import Backends
import Compiler
import Foundation
import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore

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

    @Option(help: "Runs per measurement (the best counts).")
    var repeats = 3

    @Flag(help: "Print JSON.")
    var json = false

    @Option(name: .customLong("disable-pass"), help: ArgumentHelp("A pass the VM and native code run without (repeatable), e.g. operator-fusion to see what fusion gains.", valueName: "pass"))
    var disabledPasses: [String] = []

    struct Row: Encodable {
        var model: String
        var nodes: Int
        var compileMs: [String: Double]
        var runMs: [String: Double]
        var speedupOverReference: [String: Double]
    }

    func run() throws {
        let known = Set(Pipeline.standard.distinctPasses.map(\.name) + LoopPass.all.map(\.name))
        for p in disabledPasses where !known.contains(p) { throw UserError("unknown pass '\(p)' (see 'graphsmith passes list')") }
        let library = try specs.loadLibrary()
        var rows: [Row] = []
        let ort = OnnxRuntimeBackend(library: library)
        let ortAvailable = ort.unavailableReason() == nil
        for (name, model) in try BenchModels.all(library) {
            let inputs = model.randomInputs(seed: 1)
            var compile: [String: Double] = [:], runs: [String: Double] = [:]
            compile["graph-O3"] = try time(1) { _ = try CompilerBackend(library: library, level: .O3).compile(model) }
            runs["reference"] = try time(repeats) { _ = try Interpreter.outputs(model, library: library, inputs: inputs) }
            let vm = CompilerBackend(library: library, level: .O3, disabledPasses: Set(disabledPasses), executor: .vm)
            runs["vm-O3"] = try time(repeats) { _ = try vm.run(model, inputs: inputs) }
            let native = CompilerBackend(library: library, level: .O3, disabledPasses: Set(disabledPasses), executor: .native)
            // The first native run compiles C (or finds it cached); later runs only load and run it.
            compile["native-O3 (cc, first run)"] = try time(1) { _ = try native.run(model, inputs: inputs) }
            runs["native-O3"] = try time(repeats) { _ = try native.run(model, inputs: inputs) }
            // Compiled once, then only run: what a deployed compiled model costs per inference.
            let lowered = try native.lower(model)
            let program = try NativeProgram(lowered.ops)
            runs["native-O3 run"] = try time(repeats) { _ = try lowered.run(inputs: inputs) { try program.run(op: $0, inputs: $1) } }
            runs["vm-O3 run"] = try time(repeats) { _ = try lowered.run(inputs: inputs) { try VM.run(lowered.ops[$0], inputs: $1) } }
            if ortAvailable {
                _ = try? ort.run(model, inputs: inputs)
                runs["onnxruntime"] = try time(repeats) { _ = try ort.run(model, inputs: inputs) }
            }
            let speedups = runs.filter { $0.key != "reference" }.mapValues { runs["reference"]! / $0 }
            rows.append(Row(model: name, nodes: model.nodes.count, compileMs: compile, runMs: runs, speedupOverReference: speedups))
            if !json {
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

    /// The best of `n` runs, in milliseconds.
    private func time(_ n: Int, _ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, n) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }
}
