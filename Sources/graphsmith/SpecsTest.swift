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

            --backend NAME (repeatable, or comma-separated) also runs every instance's one-node model on \
            that backend of 'graphsmith backends list' and compares its outputs with the reference's at \
            the tolerance of an outside runtime (widened where the backend documents computing a dtype \
            in a lower precision). This checks a backend's mapping from the specs: --backend \
            torch-eager runs the torch module written from each spec's 'torch' line. An instance the \
            backend does not support (no torch line, no kernel for the dtype) is skipped and counted. \
            --backends-only runs only \(OpCheck.backendChecks.map(\.name).joined(separator: ", ")).

            Prints 'OP: N instances, N ok' per operator, or the failures with their reason. \
            Instance k of an operator depends only on --seed, the operator's name and k, so a \
            failure reproduces with the same seed whatever --count is. Exits 1 when any check \
            fails, 2 for an unknown operator.

            Examples:
              graphsmith specs test Relu
              graphsmith specs test Conv MaxPool --count 200 --seed 7
              graphsmith specs test --all --count 20
              graphsmith specs test --all --count 4 --backend torch-eager
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

    @Option(name: .customLong("backend"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Also compare this backend with the reference on every instance (repeatable, or comma-separated).", valueName: "name"))
    var backendNames: [String] = []

    @Flag(help: "With --backend: only compare the backends, skipping the checks of graphsmith itself (text and ONNX round trips, onnxruntime, gradients, the in-repo compiler).")
    var backendsOnly = false

    /// The names of --backend, in order, without repeats.
    var backendList: [String] {
        var seen = Set<String>()
        return backendNames.flatMap { $0.split(separator: ",").map { String($0) } }.filter { seen.insert($0).inserted }
    }

    /// Argument combinations ArgumentParser cannot express; checked in `run()` so unknown flags are reported first.
    func checkArguments() throws {
        guard all || !ops.isEmpty else { throw ValidationError("name at least one operator, or pass --all") }
        guard !(all && !ops.isEmpty) else { throw ValidationError("give operator names or --all, not both") }
        try FlagChecks.count(count, "--count")
        guard maxFailures >= 0 else { throw ValidationError("--max-failures must not be negative") }
        guard !backendNames.contains(where: { $0.split(separator: ",", omittingEmptySubsequences: false).contains("") }) else {
            throw ValidationError("--backend needs a backend name (see 'graphsmith backends list')")
        }
        guard !backendsOnly || !backendNames.isEmpty else { throw ValidationError("--backends-only needs --backend NAME") }
    }

    func run() throws {
        try checkArguments()
        let library = try specs.loadLibrary()
        let selected = all ? library.operators : try ops.map { try library.requireSpec($0) }
        Console.out("specs test: \(selected.count) operator\(selected.count == 1 ? "" : "s"), \(count) instances each, seed \(seed)")
        var ort: ExternalBackend?
        if !noOnnxruntime && !backendsOnly {
            let b = ExternalBackend.onnxruntime(library: library)
            if let why = b.unavailableReason() { Console.out("onnxruntime check skipped: \(why)") } else { ort = b }
        }
        let backends: [NamedBackend] = try backendList.map { ($0, try BackendChoice($0).make(library)) }
        for b in backends { Console.out("backend \(b.name)" + (b.backend.version.map { " \($0)" } ?? "") + ": compared on every instance") }
        var run = SpecTestRun(library: library, operators: selected, count: count, seed: seed, onnxruntime: ort,
                              nativeEvery: all ? OpCheck.nativeEvery : 1)
        run.backends = backends
        if backendsOnly { run.checks = OpCheck.backendChecks }
        let totals = run.run { Console.out($0.report(maxFailures: maxFailures)) }
        for b in backends {
            let skipped = totals.skipped[b.name, default: 0]
            Console.out("\(b.name): \(skipped) of \(totals.instances) instances skipped as unsupported")
        }
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
