import ArgumentParser
import Backends
import SpecCheck
import SpecLib

/// `graphsmith specs test OP...`: runs every `OpCheck` on random instances of each operator.
struct SpecsTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Test operator specs on random instances.",
        discussion: """
            For each operator, draws --count random valid instances (shapes, dtypes, attributes) \
            and random inputs that respect the spec's value domains, then runs these checks on \
            each instance in order (a failed check skips the rest for that instance):
            \(OpCheck.all.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"))

            Prints 'OP: N instances, N ok' per operator, or the failures with their reason. \
            Instance k of an operator depends only on --seed, the operator's name and k, so a \
            failure reproduces with the same seed whatever --count is. Exits 1 when any check \
            fails, 2 for an unknown operator.

            Examples:
              graphsmith specs test Relu
              graphsmith specs test Conv MaxPool --count 200 --seed 7
              graphsmith specs test --all --count 20
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("Operators to test.", valueName: "op"))
    var ops: [String] = []

    @Flag(help: "Test every operator in the specs directory.")
    var all = false

    @Option(parsing: .unconditional, help: "Random instances per operator.")
    var count = 50

    @Option(parsing: .unconditional, help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Failures printed per operator.")
    var maxFailures = 5

    @Flag(help: "Skip the onnxruntime check even when onnxruntime is installed.")
    var noOnnxruntime = false

    /// Argument combinations ArgumentParser cannot express; checked in `run()` so unknown flags are reported first.
    func checkArguments() throws {
        guard all || !ops.isEmpty else { throw ValidationError("name at least one operator, or pass --all") }
        guard !(all && !ops.isEmpty) else { throw ValidationError("give operator names or --all, not both") }
        try FlagChecks.count(count, "--count")
        guard maxFailures >= 0 else { throw ValidationError("--max-failures must not be negative") }
    }

    func run() throws {
        try checkArguments()
        let library = try specs.loadLibrary()
        let selected = all ? library.operators : try ops.map { try library.requireSpec($0) }
        Console.out("specs test: \(selected.count) operator\(selected.count == 1 ? "" : "s"), \(count) instances each, seed \(seed)")
        var ort: ExternalBackend?
        if !noOnnxruntime {
            let b = ExternalBackend.onnxruntime(library: library)
            if let why = b.unavailableReason() { Console.out("onnxruntime check skipped: \(why)") } else { ort = b }
        }
        let run = SpecTestRun(library: library, operators: selected, count: count, seed: seed, onnxruntime: ort,
                              nativeEvery: all ? OpCheck.nativeEvery : 1)
        let totals = run.run { Console.out($0.report(maxFailures: maxFailures)) }
        if totals.failedOperators == 0 {
            Console.out("all \(totals.instances) instances ok")
        } else {
            Console.out("FAILED: \(totals.failedInstances) of \(totals.instances) instances in \(totals.failedOperators) operator\(totals.failedOperators == 1 ? "" : "s")")
            throw ExitCode(Outcome.checkFailed)
        }
    }
}

extension SpecTester.Result {
    /// `OP: N instances, N ok`, then up to `maxFailures` failures with their reasons.
    func report(maxFailures: Int) -> String {
        let skips = skipped.keys.sorted().map { "\($0) not applicable to \(skipped[$0]!)" }
        var lines = ["\(op): \(count) instances, \(count - failures.count) ok" + (failures.isEmpty ? "" : ", \(failures.count) failed")
                     + (skips.isEmpty ? "" : " (" + skips.joined(separator: ", ") + ")")]
        for f in failures.prefix(maxFailures) {
            let reason = f.reason.split(whereSeparator: \.isNewline).joined(separator: "\n      ")
            lines.append("  instance \(f.index) [\(f.check)] \(f.instance)")
            lines.append("      \(reason)")
        }
        if failures.count > maxFailures { lines.append("  ... and \(failures.count - maxFailures) more") }
        return lines.joined(separator: "\n")
    }
}
