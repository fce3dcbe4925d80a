import ArgumentParser
import Foundation
import Generator
import ModelIR
import ONNX

/// `graphsmith gen`: writes random valid models.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate random valid models.",
        discussion: """
            Writes --count models, seeds --seed to --seed + count - 1, into DIR as model-SEED.txt \
            and/or model-SEED.onnx. A model is a function of its seed, the options and the specs: \
            the same seed gives the same file, byte for byte, on every machine. An impossible request \
            (operators that cannot connect, limits too small for any operator) ends with a one-line \
            error and exit code 2.

            Examples:
              graphsmith gen --seed 0 --count 100 --out models
              graphsmith gen --nodes 30 --include Conv,Relu,Add,MaxPool --format both --out cnn
              graphsmith gen --dtypes f32 --exclude Gather,Cast --count 10 --out f32-only
            """
    )

    enum Format: String, ExpressibleByArgument { case text, onnx, both }

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var generator: GeneratorOptions

    @Option(help: "The first seed.")
    var seed: UInt64 = 0

    @Option(help: "How many models.")
    var count = 1

    @Option(help: ArgumentHelp("Output directory (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "text, onnx or both.")
    var format: Format = .text

    func run() throws {
        let library = try specs.loadLibrary()
        let gen = try generator.generator(library: library)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create directory '\(out)'")
        }
        let progress = Progress(total: count, label: "gen")
        for k in 0..<count {
            let s = seed + UInt64(k)
            let model: Model
            do { model = try gen.generate(seed: s) } catch let e as GeneratorError { throw UserError(e.message) }
            let base = (out as NSString).appendingPathComponent("model-\(s)")
            if format != .onnx { try TextFile.write(TextWriter.write(model), to: base + ".txt") }
            if format != .text { try Exporter.write(model, library: library, path: base + ".onnx") }
            progress.step()
        }
        progress.finish()
        Console.out("wrote \(plural(count, "model")) to \(out)")
    }
}
