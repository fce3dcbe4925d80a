import ArgumentParser
import Backends
import Reference
import SpecLib
import TensorCore

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

    @Option(help: "Random instances per operator.")
    var count = 50

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(help: "Failures printed per operator.")
    var maxFailures = 5

    @Flag(help: "Skip the onnxruntime check even when onnxruntime is installed.")
    var noOnnxruntime = false

    /// Argument combinations ArgumentParser cannot express; checked in `run()` so unknown flags are reported first.
    func checkArguments() throws {
        guard all || !ops.isEmpty else { throw ValidationError("name at least one operator, or pass --all") }
        guard !(all && !ops.isEmpty) else { throw ValidationError("give operator names or --all, not both") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard maxFailures >= 0 else { throw ValidationError("--max-failures must not be negative") }
    }

    func run() throws {
        try checkArguments()
        let library = try specs.loadLibrary()
        let selected = all ? library.operators : try ops.map { try library.requireSpec($0) }
        Console.out("specs test: \(selected.count) operator\(selected.count == 1 ? "" : "s"), \(count) instances each, seed \(seed)")
        var ort: OnnxRuntimeBackend?
        if !noOnnxruntime {
            let b = OnnxRuntimeBackend(library: library)
            if let why = b.unavailableReason() { Console.out("onnxruntime check skipped: \(why)") } else { ort = b }
        }
        var failedOps = 0
        var failedInstances = 0
        for spec in selected {
            let tester = SpecTester(library: library, spec: spec, seed: seed, onnxruntime: ort, nativeEvery: all ? OpCheck.nativeEvery : 1)
            let result = tester.run(count: count)
            Console.out(result.report(maxFailures: maxFailures))
            if !result.failures.isEmpty {
                failedOps += 1
                failedInstances += result.failures.count
            }
        }
        let total = selected.count * count
        if failedOps == 0 {
            Console.out("all \(total) instances ok")
        } else {
            Console.out("FAILED: \(failedInstances) of \(total) instances in \(failedOps) operator\(failedOps == 1 ? "" : "s")")
            throw ExitCode(Outcome.checkFailed)
        }
    }
}

/// Samples and checks the instances of one operator.
struct SpecTester {
    let library: SpecLibrary
    let spec: OpSpec
    let seed: UInt64
    let onnxruntime: OnnxRuntimeBackend?
    /// See `OpCheck.nativeEvery`: 1 for named operators, a sample with `--all`.
    var nativeEvery = 1

    /// One instance that failed: its number, the check (or `sample`), what the instance was, and why.
    struct Failure {
        var index: Int
        var check: String
        var instance: String
        var reason: String
    }

    struct Result {
        var op: String
        var count: Int
        var failures: [Failure]
        /// How many instances each check did not apply to.
        var skipped: [String: Int] = [:]

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

    func run(count: Int) -> Result {
        let base = SeededRNG(seed: seed).split(Self.stableHash(spec.name))
        var result = Result(op: spec.name, count: count, failures: [])
        for k in 0..<count {
            var rng = base.split(UInt64(k))
            if let f = check(index: k, &rng, &result.skipped) { result.failures.append(f) }
        }
        return result
    }

    private func check(index: Int, _ rng: inout SeededRNG, _ skipped: inout [String: Int]) -> Failure? {
        let instance: OpInstance
        switch InstanceSampler(spec: spec).sampleOrExplain(using: &rng) {
        case .success(let i): instance = i
        case .failure(let e): return Failure(index: index, check: "sample", instance: spec.name, reason: "no valid instance: \(e.message)")
        }
        var c = CheckCase(library: library, instance: instance, inputs: DomainInputs.sample(for: instance, using: &rng))
        c.onnxruntime = onnxruntime
        c.index = index
        c.nativeEvery = nativeEvery
        defer { for s in c.skipped { skipped[s, default: 0] += 1 } }
        for check in OpCheck.all {
            do {
                try check.run(&c)
            } catch {
                return Failure(index: index, check: check.name, instance: SpecText.instance(instance), reason: "\(error)")
            }
        }
        return nil
    }

    /// FNV-1a of the name: the same on every machine and run (unlike `hashValue`).
    static func stableHash(_ s: String) -> UInt64 {
        s.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
