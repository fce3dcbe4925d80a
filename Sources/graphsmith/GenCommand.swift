import ArgumentParser
import Campaign
import Foundation
import Generator
import ModelIR
import ONNX
import TensorCore

/// `graphsmith gen`: writes random valid models.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate random valid models.",
        discussion: """
            Writes --count models, seeds --seed to --seed + count - 1 (wrapping past 2^64 - 1 to 0), into DIR as model-SEED.txt \
            and/or model-SEED.onnx. A model is a function of its seed, the options and the specs: \
            the same seed gives the same file, byte for byte, on every machine. An impossible request \
            (operators that cannot connect, limits too small for any operator) ends with a one-line \
            error and exit code 2.

            --with-data also writes test data beside each model, in the folder DIR/model-SEED/: \
            inputs/K.pb (input K, an ONNX TensorProto named after the input) and outputs/reference/K.pb \
            (output K on graphsmith's reference interpreter, in the output's dtype, as campaign findings store it). \
            The inputs are the generator's witness when its value check kept one, else the input search's; when \
            the search had to change weights, the model file written holds those weights. A model for which no \
            valid inputs are found gets no folder (the summary counts them, each is named on stderr); a folder is \
            written whole or not at all.

            Examples:
              graphsmith gen --seed 0 --count 100 --out models
              graphsmith gen --nodes 30 --include Conv,Relu,Add,MaxPool --format both --out cnn
              graphsmith gen --dtypes f32 --exclude Gather,Cast --count 10 --out f32-only
              graphsmith gen --count 20 --format onnx --with-data --out suite
            """
    )

    enum Format: String, ExpressibleByArgument { case text, onnx, both }

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var generator: GeneratorOptions

    @Option(parsing: .unconditional, help: "The first seed.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "How many models.")
    var count = 1

    @Option(help: ArgumentHelp("Output directory (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "text, onnx or both.")
    var format: Format = .text

    @Flag(help: "Also write each model's inputs and reference outputs (DIR/model-SEED/inputs/K.pb, outputs/reference/K.pb).")
    var withData = false

    func run() throws {
        try FlagChecks.count(count, "--count")
        let library = try specs.loadLibrary()
        let gen = try generator.generator(library: library)
        try OutputFolder.check(out, flag: "--out")
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create directory '\(out)'")
        }
        let progress = Progress(total: count, label: "gen")
        let preparer = SearchInputPreparer(library: library)
        var skipped: [String] = []
        for k in 0..<count {
            let s = seed &+ UInt64(k)
            var (model, witness): (Model, [String: Tensor]?)
            do { (model, witness) = try gen.generateWitnessed(seed: s) } catch let e as GeneratorError { throw UserError(e.message) }
            let base = (out as NSString).appendingPathComponent("model-\(s)")
            if withData {
                let data = try campaignError {
                    try ModelData.write(model, witness: witness, seed: s, library: library, preparer: preparer, to: base)
                }
                model = data.model
                if let why = data.skipped {
                    skipped.append("model-\(s)")
                    Console.error("model-\(s): no data written (\(why))")
                }
            }
            if format != .onnx { try TextFile.write(TextWriter.write(model), to: base + ".txt") }
            if format != .text { try Exporter.write(model, library: library, path: base + ".onnx") }
            progress.step()
        }
        progress.finish()
        let data = withData ? ", with data for \(count - skipped.count)" + (skipped.isEmpty ? "" : " (\(skipped.count) without valid inputs)") : ""
        Console.out("wrote \(plural(count, "model")) to \(out)\(data)")
    }
}
