import ArgumentParser
import Backends
import Campaign
import Foundation
import LoopIR

/// `graphsmith check MODEL`: a user's own model on the reference and on backends, filed as a finding when they disagree.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run your own model (an exported .onnx file) on the reference and on backends; file a finding when they disagree.",
        discussion: """
            Imports MODEL (ONNX, or the text format), takes its inputs from --inputs DIR (input_K.pb files as ONNX's \
            test data has them, a 'gen --with-data' folder with inputs/K.pb, or NAME.pb files named after the inputs) \
            or, without it, from the input search (every value finite and inside every operator's domain; it may \
            change weights to get there, and says so). Then it runs the model as one campaign test: the reference and \
            every backend of --backends (names as in 'fuzz --backends' and 'graphsmith backends list') in a worker \
            process, judged and triaged as a campaign judges. When a backend disagrees or crashes, the test is filed \
            as a campaign files a finding, in OUT/findings/ID, and the commands that minimize and replay it are printed. \
            --tolerance F compares at F times every dtype's default tolerance; the finding's config.json keeps F, so \
            'replay' and 'reduce' judge it the same way.

            Exit codes: 0 every backend agreed (or said it does not support the model), 1 a finding (as \
            'fuzz --fail-on-findings'), 2 a user error (a missing or unreadable file, an operator without a spec, \
            inputs that make the test say nothing, a bad flag).

            Examples:
              graphsmith check model.onnx --backends vm-O0,vm-O3,onnxruntime
              graphsmith check model.onnx --inputs test_data_set_0 --backends openvino --out ov-check
              graphsmith check model.onnx --backends vm-O3 --inject-fault vector-tail-dropped
              graphsmith check big.onnx --backends onnxruntime --tolerance 10
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("The model file (.onnx, or the text format).", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("A folder with the model's inputs as .pb files (default: the input search finds them).", valueName: "dir"))
    var inputs: String?

    @Option(help: ArgumentHelp("Backends compared with the reference (comma-separated; default: as 'fuzz').", valueName: "list"))
    var backends: String?

    @Option(help: ArgumentHelp("Where a finding goes, as OUT/findings/ID (a campaign's folder is refused).", valueName: "dir"))
    var out: String = "check"

    @Option(parsing: .unconditional, help: "Seed of the input search.")
    var seed: UInt64 = 0

    @Option(name: .customLong("inject-fault"), help: ArgumentHelp("Switch on a documented compiler fault (repeatable; see 'faults list').", valueName: "fault"))
    var faults: [String] = []

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An adapter file of your own compiler (repeatable); name its backend in --backends.", valueName: "file.py"))
    var plugins: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Multiply every dtype's tolerance (rtol and atol) by this (a large model accumulates more rounding).", valueName: "factor"))
    var tolerance: Double = 1

    /// The largest `--tolerance`: beyond it an f32 comparison (rtol 1e-4) would accept anything.
    static let maxTolerance = 1000.0

    @Option(parsing: .unconditional, help: "Seconds the test may take before it is a hang.")
    var testTimeout: Double = 60

    @Option(parsing: .unconditional, help: ArgumentHelp("Memory limit of the worker process (at least 256).", valueName: "MiB"))
    var memoryLimit: Int = 4096

    func run() throws {
        try FlagChecks.timeout(testTimeout, "--test-timeout")
        try FlagChecks.memoryLimit(memoryLimit)
        guard tolerance > 0, tolerance <= Self.maxTolerance else {
            throw UserError("--tolerance must be more than 0 and at most \(Int(Self.maxTolerance)) (a factor on every dtype's tolerance), got \(tolerance)")
        }
        if let f = faults.first(where: { WorkerFault(rawValue: $0) != nil }) {
            throw UserError("--inject-fault \(f): a test-worker fault, for 'fuzz' only (check takes the compiler faults of 'graphsmith faults list')")
        }
        try FuzzCommand.checkFaults(faults, known: Fault.allCases.map(\.rawValue))
        if let dir = inputs, !FileManager.default.fileExists(atPath: dir) { throw UserError("--inputs \(dir): no such folder") }
        try OutputFolder.check(out, flag: "--out")
        let library = try specs.loadLibrary()
        let specsDir = (try specs.resolve() as NSString).standardizingPath
        let pluginPaths = try plugins.map(PluginFile.absolute)
        let registry = BackendRegistry.load(plugins: pluginPaths)
        let names = try BackendSelection.chosen(backends, registry, library, quiet: false).names
        var config = CampaignConfig(seed: seed, backends: names, nodes: 10, faults: faults, testTimeout: testTimeout,
                                    memoryLimitMiB: memoryLimit)
        config.plugins = pluginPaths
        config.toleranceScale = tolerance == 1 ? nil : tolerance
        let scratch = try ScratchFolder.make("graphsmith-check")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let check = ModelCheck(model: model, inputs: inputs, out: out, config: config)
        let outcome = try campaignError {
            try check.run(library: library, scratch: scratch) { WorkerCommand.finding($0, staging: scratch + "/staging", specs: specsDir) }
        }
        for note in outcome.notes { Console.error(note) }
        guard let (folder, record) = outcome.finding else { return Console.out(Self.agreement(outcome.report, model, names)) }
        Console.out("\(model): finding \(record.id): \(record.triage.rawValue) (\(record.verdict.rawValue)) at \(record.stage.rawValue): \(record.message)")
        Console.out("finding: \(folder)")
        Console.out("minimize it: \(ShellCommand.join(["graphsmith", "reduce", folder]))")
        Console.out("replay it:   \(record.repro)")
        throw ExitCode(Outcome.checkFailed)
    }

    /// `MODEL: the reference and vm-O0, vm-O3 agree`, with the backends that did not take part or a flaky run said.
    static func agreement(_ report: TestReport, _ model: String, _ names: [String]) -> String {
        if report.verdict == .flaky { return "\(model): no finding: \(report.message)" }
        let apart = report.outcomes.compactMap { o in o.triage.map { "\(o.backend): \($0.rawValue)" } }
        let compared = names.filter { n in !report.outcomes.contains { $0.backend == n && $0.triage != nil } }
        let agreeing = compared.isEmpty ? "the reference alone ran it" : "the reference and \(compared.joined(separator: ", ")) agree"
        return "\(model): \(agreeing)" + (apart.isEmpty ? "" : " (not compared: \(apart.joined(separator: "; ")))")
    }
}
