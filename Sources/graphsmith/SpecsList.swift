import ArgumentParser
import Foundation
import SpecLib

/// `graphsmith specs list`: one line (or one JSON object) per operator.
struct SpecsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every operator spec.",
        discussion: """
            One line per operator: name, family (the folder under Specs/), ONNX op type and opset, \
            whether it has a torch mapping, inputs (weights marked) and attributes, then the operators \
            without a torch mapping (left out of torch campaigns). --json prints a JSON array instead, \
            one object per operator with the keys name, family, file, doc, onnx {op, opset, opsets}, \
            torch (the number of torch lines), types, inputs \
            [{name, role, type, shape}], outputs [{name, type, shape}] and attributes \
            [{name, kind, range, default}] (range and default are null when absent).

            Examples:
              graphsmith specs list
              graphsmith specs list --json | python3 -m json.tool
              graphsmith specs list --specs /path/to/my/Specs
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    func run() throws {
        let library = try specs.loadLibrary()
        if json {
            Console.out(try SpecListing.json(library.operators))
        } else {
            Console.out(SpecListing.table(library.operators))
        }
    }
}

/// The two renderings of `specs list`.
enum SpecListing {
    static func table(_ ops: [OpSpec]) -> String {
        let header = ["NAME", "FAMILY", "ONNX", "TORCH", "INPUTS", "ATTRIBUTES"]
        let rows = ops.map { spec -> [String] in
            let inputs = spec.inputs.map { ($0.role == .weight ? "weight " : "") + SpecText.port($0) }
            let attrs = spec.attributes.map(SpecText.attribute)
            return [spec.name, spec.family, SpecText.onnx(spec), spec.file.torchMappings.isEmpty ? "-" : "yes", inputs.joined(separator: ", "),
                    attrs.isEmpty ? "-" : attrs.joined(separator: ", ")]
        }
        let all = [header] + rows
        // Pad every column but the last.
        let widths = (0..<header.count - 1).map { c in all.map { $0[c].count }.max() ?? 0 }
        let table = all.map { row in
            row.enumerated().map { c, cell in
                c < widths.count ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
        let unmapped = ops.filter { $0.file.torchMappings.isEmpty }.map(\.name)
        return table + "\n\ntorch: \(ops.count - unmapped.count) of \(ops.count) operators mapped"
            + (unmapped.isEmpty ? "" : "; without a torch line (left out of torch campaigns): " + unmapped.joined(separator: ", "))
    }

    static func json(_ ops: [OpSpec]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ops.map(SpecSummary.init))
        return String(decoding: data, as: UTF8.self)
    }
}
