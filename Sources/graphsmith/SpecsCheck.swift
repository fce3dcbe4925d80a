import ArgumentParser
import SpecLib

/// `graphsmith specs check [PATH...]`: parses and checks spec files, printing every error.
struct SpecsCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check spec files and report every error.",
        discussion: """
            Loads the given files and directories (default: the specs directory), checks every \
            spec and prints each problem as one line 'path:line:column: error: message' on \
            stderr. Exits 2 if there is any error, otherwise prints 'N operators OK'.

            Examples:
              graphsmith specs check
              graphsmith specs check Specs/unary/Relu.op Specs/conv
              graphsmith specs check --specs ~/my-specs
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("Spec files or directories to check.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let targets = paths.isEmpty ? [try specs.resolve()] : paths
        let (library, errors) = try SpecLibrary.loadCollectingErrors(directories: targets)
        for e in errors { Console.error(e.description) }
        guard errors.isEmpty else { throw ExitCode(Outcome.userError) }
        let n = library.operators.count
        guard n > 0 else { throw UserError("no operator specs (*.op files) in \(targets.map { "'\($0)'" }.joined(separator: ", "))") }
        Console.out("\(n) operator\(n == 1 ? "" : "s") OK")
    }
}
