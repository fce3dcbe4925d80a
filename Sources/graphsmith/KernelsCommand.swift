import ArgumentParser
import Backends
import Foundation
import Reference
import SpecLib
import TensorCore

/// `graphsmith kernels onnxruntime --out FILE`: which dtype signatures onnxruntime has kernels for.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Probe which operator dtype signatures onnxruntime has kernels for.",
        discussion: """
            Runs sampled one-operator models of every spec, in every dtype the spec allows, on onnxruntime \\
            and records the dtype signatures (`f32,i64->f32`) it can run. 'graphsmith gen --kernels FILE' \\
            then only makes models onnxruntime can load, so a campaign against it tests its optimizations \\
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
        let ort = OnnxRuntimeBackend(library: library)
        if let why = ort.unavailableReason() { throw UserError(why) }
        var table: [String: [String]] = [:]
        let progress = Progress(total: library.operators.count, label: "kernels")
        for spec in library.operators {
            var supported: Set<String> = []
            var rng = SeededRNG(seed: 17)
            for dtype in DType.allCases {
                for _ in 0..<samples {
                    guard let instance = InstanceSampler(spec: spec, preferring: [dtype]).sample(using: &rng) else { continue }
                    let signature = KernelSignature.of(instance)
                    if supported.contains(signature) { continue }
                    let (model, inputs) = OneNodeModel.make(instance, DomainInputs.sample(for: instance, using: &rng))
                    do {
                        _ = try ort.run(model, inputs: inputs)
                        supported.insert(signature)
                    } catch let e as BackendError where OnnxRuntimeBackend.isRuntimeLimitation(e) || e.kind != .error {
                        continue
                    } catch {
                        // The kernel exists; this instance failed for another reason (a finding, not a gap).
                        supported.insert(signature)
                    }
                }
            }
            table[spec.name] = supported.sorted()
            progress.step()
        }
        progress.finish()
        let data = try JSONSerialization.data(withJSONObject: table, options: [.prettyPrinted, .sortedKeys])
        try TextFile.write(String(decoding: data, as: UTF8.self) + "\n", to: out)
        Console.out("wrote \(table.values.map(\.count).reduce(0, +)) signatures of \(table.count) operators to \(out)")
    }
}
