import ArgumentParser
import Campaign
import Foundation
import ModelIR

/// `graphsmith export MODEL --format torch|onnx|text [-o OUT]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model as a PyTorch module, ONNX or the text format.",
        discussion: """
            --format torch writes one self-contained Python file: an nn.Module with the weights as \
            buffers and one line per node, written from each spec's torch mapping. It needs only \
            torch: 'python OUT [INPUT_DIR [OUTPUT_DIR]]' reads input_K.pb and writes output_K.pb \
            (default folder: test_data_set_0 beside the file). Without -o the output is MODEL with \
            the format's extension (.py, .onnx, .txt), which must not exist yet.

            Examples:
              graphsmith export model.onnx --format torch
              graphsmith export finding/model.txt --format torch -o repro_model.py
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case torch, onnx, text
        var fileExtension: String { self == .torch ? "py" : self == .onnx ? "onnx" : "txt" }
    }

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("The model to read (.onnx or the text format).", valueName: "model"))
    var input: String

    @Option(help: "torch, onnx or text.")
    var format: Format

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "out"))
    var out: String?

    func run() throws {
        let library = try specs.loadLibrary()
        let target = try outputPath()
        let model = try asUserError(input) { try ModelFiles.read(input, library: library) }
        try asUserError(input) { try Verifier.verify(model, library: library) }
        try asUserError(target) { try ModelFiles.write(model, to: target, library: library) }
        Console.out("wrote \(ShellCommand.quote(target)) (\(plural(model.nodes.count, "node")))")
    }

    /// `-o`, else the model's name with the format's extension, which must not exist (graphsmith replaces only what
    /// the user named).
    func outputPath() throws -> String {
        let path = out ?? URL(fileURLWithPath: input).deletingPathExtension().appendingPathExtension(format.fileExtension).path
        let written: Format = ModelFiles.isTorch(path) ? .torch : ModelFiles.isOnnx(path) ? .onnx : .text
        guard written == format else {
            throw UserError("-o \(path): a \(format.rawValue) file is named *.\(format.fileExtension)")
        }
        if out == nil, FileManager.default.fileExists(atPath: path) {
            throw UserError("\(path) exists; name the output with -o")
        }
        return path
    }
}
