import ArgumentParser
import ModelIR

/// `graphsmith convert IN OUT`: between the text format and ONNX.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a model between the text format and ONNX.",
        discussion: """
            The format of each file follows its name: '.onnx' is ONNX (read and written through \
            libprotobuf-c, driven by each spec's onnx mapping), anything else the text format. \
            The model is verified against the specs before it is written.

            Examples:
              graphsmith convert model.txt model.onnx
              graphsmith convert test_relu/model.onnx relu.txt
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("The model to read.", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("The file to write.", valueName: "out"))
    var output: String

    func run() throws {
        let library = try specs.loadLibrary()
        let model = try asUserError(input) { try ModelFiles.read(input, library: library) }
        try asUserError(input) { try Verifier.verify(model, library: library) }
        try asUserError(output) { try ModelFiles.write(model, to: output, library: library) }
        Console.out("wrote \(output) (\(plural(model.nodes.count, "node")))")
    }
}
