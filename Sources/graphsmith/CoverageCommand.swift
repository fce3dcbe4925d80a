import ArgumentParser
import Foundation
import Generator
import ModelIR

/// `graphsmith coverage DIR`: what a set of models covers.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Report operator, operator-pair and attribute-bin coverage of a set of models.",
        discussion: """
            Reads every model file in DIR (.txt, or .onnx when no .txt of the same name exists). \
            Operator coverage is over every spec; pair coverage over the feasible pairs (operator \
            pairs that can be connected by type, found by solving with the same limits as gen); \
            attribute bins are log-scale bins of each attribute's values, over the bins an instance \
            can reach (found by solving with a value of the bin pinned).

            Examples:
              graphsmith gen --count 1000 --out models && graphsmith coverage models
              graphsmith coverage models --json
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var generator: GeneratorOptions

    @Argument(help: ArgumentHelp("Directory of models.", valueName: "dir"))
    var directory: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let library = try specs.loadLibrary()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw UserError("cannot read directory '\(directory)'")
        }
        let files = names.filter { $0.hasSuffix(".txt") || ($0.hasSuffix(".onnx") && !names.contains(String($0.dropLast(5)) + ".txt")) }.sorted()
        guard !files.isEmpty else { throw UserError("'\(directory)' holds no model files") }
        var coverage = Coverage()
        for f in files {
            let path = (directory as NSString).appendingPathComponent(f)
            let model = try asUserError(path) { try ModelFiles.read(path, library: library) }
            coverage.add(model, library: library)
        }
        // With --kernels, every denominator counts only what the kernel table lets the generator make.
        let report = CoverageDenominators(library: library, config: try generator.config()).report(coverage)
        if json {
            try Console.json(report)
        } else {
            report.lines.forEach { Console.out($0) }
            if !report.missingOperators.isEmpty { Console.out("operators never used: " + report.missingOperators.joined(separator: ", ")) }
            if !report.missingAttributeBins.isEmpty {
                Console.out("attribute bins never hit (\(report.missingAttributeBins.count)): " + report.missingAttributeBins.prefix(30).joined(separator: ", "))
            }
        }
    }
}
