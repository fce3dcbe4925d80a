import ArgumentParser
import Backends
import Conformance
import Foundation

/// `graphsmith conformance DIR`: the ONNX backend node test suite on one backend.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the ONNX backend node test suite on a backend.",
        discussion: """
            DIR holds folders test_*/ with model.onnx and test_data_set_*/input_*.pb, output_*.pb, \
            as written by 'python3 Scripts/gen-conformance.py DIR' from the onnx Python package. \
            Each test is passed, failed, unsupported-variant (its operator has a spec, but not for \
            this attribute, input form or dtype), no-spec, or foreign-dtype (string, complex, \
            float8, int4, ...). The summary's percentage is passed over passed, failed and \
            unsupported-variant. Exit code 1 when any test failed.

            Examples:
              python3 Scripts/gen-conformance.py /tmp/node-tests
              graphsmith conformance /tmp/node-tests
              graphsmith conformance /tmp/node-tests --backend onnxruntime --json > results.json
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup(title: "Compiler options (with --backend compiler)") var compiler: CompileOptions

    @Argument(help: ArgumentHelp("The node test suite directory.", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("The backend to test: \(BackendChoice.names).", valueName: "name"))
    var backend: BackendChoice = .reference

    @Flag(help: "Print JSON: the summary and every test grouped by status.")
    var json = false

    @Flag(help: "Print only the summary and the tests that did not pass.")
    var quiet = false

    func run() throws {
        let library = try specs.loadLibrary()
        let runner = ConformanceRunner(library: library, backend: try backend.make(library, compiler: compiler))
        let folders = try asUserError(directory) { try ConformanceRunner.testFolders(directory) }
        guard !folders.isEmpty else { throw UserError("'\(directory)' holds no test_* folders") }
        var results: [ConformanceResult] = []
        let progress = Progress(total: folders.count, label: "conformance", enabled: json || quiet)
        for folder in folders {
            let r = runner.run(folder: folder)
            results.append(r)
            progress.step()
            if !json && !(quiet && r.status == .passed) {
                Console.out("\(r.status.rawValue) \(r.name)" + (r.reason.map { ": \($0)" } ?? ""))
            }
        }
        progress.finish()
        let summary = ConformanceSummary(results)
        if json {
            try printJSON(summary, results)
        } else {
            Console.out("\(backend.name): \(summary.line)")
        }
        if summary.counts["failed", default: 0] > 0 { throw ExitCode(Outcome.checkFailed) }
    }

    private func printJSON(_ summary: ConformanceSummary, _ results: [ConformanceResult]) throws {
        struct Report: Encodable {
            var backend: String
            var summary: ConformanceSummary
            var tests: [String: [ConformanceResult]]
        }
        let grouped = Dictionary(grouping: results, by: { $0.status.rawValue })
        var all: [String: [ConformanceResult]] = [:]
        for s in ConformanceResult.Status.allCases { all[s.rawValue] = grouped[s.rawValue] ?? [] }
        try Console.json(Report(backend: backend.name, summary: summary, tests: all))
    }
}
