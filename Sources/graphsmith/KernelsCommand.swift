import ArgumentParser
import Backends
import Foundation
import Generator
import SpecLib
import TensorCore

/// `graphsmith kernels --out FILE`: which dtype signatures and attribute forms onnxruntime has kernels for.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Probe which operator dtype signatures onnxruntime has kernels for.",
        discussion: """
            Runs sampled one-operator models of every spec, in every dtype the spec allows, on onnxruntime \
            and records the dtype signatures (`f32,i64->f32`) it can run; then, per signature, pins each \
            attribute bin in turn and, where some bin has no kernel, records the bins that run \
            (`f64->f64 approximate=tanh`). Each model runs at the instance's own opset and at the specs' \
            highest, the two ends of the opsets a generated model can have. 'graphsmith gen --kernels FILE' \
            then only makes models onnxruntime can load, so a campaign against it tests its optimizations \
            rather than its missing kernels.

            Examples:
              graphsmith kernels --out ort-kernels.json
              graphsmith gen --kernels ort-kernels.json --count 1000 --format onnx --out models
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(help: ArgumentHelp("Write the table (JSON) here.", valueName: "file"))
    var out: String

    @Option(help: "Random instances per operator and dtype.")
    var samples = 3

    func run() throws {
        let library = try specs.loadLibrary()
        let highest = library.operators.flatMap { $0.file.onnxMappings.map(\.opset) }.max() ?? 1
        let runtimes = [OnnxRuntimeBackend(library: library), OnnxRuntimeBackend(library: library, minimumOpset: highest)]
        if let why = runtimes[0].unavailableReason() { throw UserError(why) }
        let probe = KernelProbe(runtimes: runtimes, samples: samples, maxRank: GeneratorConfig().maxRank)
        var table = KernelTable()
        let progress = Progress(total: library.operators.count, label: "kernels")
        for spec in library.operators {
            var rng = SeededRNG(seed: 17)
            probe.probe(spec, into: &table, &rng)
            progress.step()
        }
        progress.finish()
        let entries = table.entries
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
        try TextFile.write(String(decoding: data, as: UTF8.self) + "\n", to: out)
        let signatures = table.kernels.values.map(\.count).reduce(0, +)
        let restricted = table.kernels.values.flatMap(\.values).filter { !$0.isEmpty }.count
        Console.out("wrote \(signatures) signatures (\(restricted) with restricted attributes) of \(entries.count) operators to \(out)")
    }
}
