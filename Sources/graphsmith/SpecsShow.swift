import ArgumentParser
import Foundation
import SpecLib

/// `graphsmith specs show OP`: prints an operator's spec file.
struct SpecsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an operator's spec file and its path.",
        discussion: """
            Prints a first line '# file: PATH' and then the spec file's text, unchanged.

            Examples:
              graphsmith specs show Softmax
              graphsmith specs show Conv --specs Specs
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("Operator name, as in 'specs list'.", valueName: "op"))
    var op: String

    func run() throws {
        let spec = try specs.loadLibrary().requireSpec(op)
        let path = spec.file.path
        guard let data = FileManager.default.contents(atPath: path) else { throw UserError("cannot read '\(path)'") }
        let text = String(decoding: data, as: UTF8.self)
        Console.out("# file: \(path)")
        Console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}
