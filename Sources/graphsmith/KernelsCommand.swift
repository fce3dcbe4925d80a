import ArgumentParser
import Backends
import Foundation
import Generator
import SpecLang
import SpecLib

/// `graphsmith kernels --backend NAME --out FILE`: which dtype signatures and attribute forms a backend runs.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Probe which operator dtype signatures and attribute forms a backend runs.",
        discussion: """
            Runs sampled one-operator models of every spec, in every dtype the spec allows, on the backend \
            and records the dtype signatures (`f32,i64->f32`) it runs; then, per signature, pins each \
            attribute bin in turn and, where some bin is unsupported, records the bins that run \
            (`f64->f64 approximate=tanh`). Only what the backend itself calls unsupported (its adapter's \
            phrases) counts as missing: an internal compiler error, a crash or a wrong result is a finding for \
            'fuzz', not a gap, so the form stays in the table. An outside compiler runs each model at the \
            operator's own opset and at the specs' highest (capped at the backend's ceiling), the two ends of \
            the opsets a generated model can have. 'gen --kernels FILE' and 'fuzz --kernels FILE' then only make \
            models the backend accepts, so a campaign tests its compiler rather than its missing features.

            Probing a compiler that takes seconds per model (IREE, TVM) takes a while: use --jobs (one worker \
            process each) and --samples 1.

            Examples:
              graphsmith kernels --out ort-kernels.json
              graphsmith kernels --backend openvino --jobs 2 --out openvino-kernels.json
              graphsmith kernels --backend mycc --plugin mycc.py --out mycc-kernels.json
              graphsmith fuzz --backends openvino --kernels openvino-kernels.json --time 20m --out ov
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(help: ArgumentHelp("The backend to probe (see 'graphsmith backends list').", valueName: "name"))
    var backend = "onnxruntime"

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An adapter file of your own compiler (repeatable).", valueName: "file.py"))
    var plugins: [String] = []

    @Option(help: ArgumentHelp("Write the table (JSON) here.", valueName: "file"))
    var out: String

    @Option(parsing: .unconditional, help: "Random instances per operator and dtype.")
    var samples = 3

    @Option(parsing: .unconditional, help: "Operators probed in parallel, each thread with its own worker process.")
    var jobs = 1

    @Option(parsing: .unconditional, help: "Seconds one probe may take before it counts as a hang.")
    var timeout: Double = 60

    func run() throws {
        try FlagChecks.repeats(samples, "--samples")
        try FlagChecks.jobs(jobs)
        try FlagChecks.timeout(timeout, "--timeout")
        let library = try specs.loadLibrary()
        let registry = BackendRegistry.load(plugins: try plugins.map(PluginFile.absolute))
        guard let runtimes = KernelProbe.runtimes(backend, registry: registry, library: library, timeout: timeout) else {
            let hint = Suggestions.closest(to: backend, among: registry.names).first.map { "; did you mean '\($0)'?" } ?? ""
            throw UserError("--backend: unknown backend '\(backend)'\(hint) (see 'graphsmith backends list')")
        }
        if let why = runtimes().first?.unavailableReason() { throw UserError(why) }
        let probe = KernelProbe(runtimes: runtimes, samples: samples, maxRank: GeneratorConfig().maxRank)
        let progress = Progress(total: library.operators.count, label: "kernels")
        let table = probe.table(of: library.operators, jobs: jobs) { progress.step() }
        progress.finish()
        try TextFile.write(table.fileText, to: out)
        Console.out("wrote \(table.signatureCount) signatures (\(table.restrictedSignatureCount) with restricted attributes) of \(table.entries.count) operators for \(backend) to \(out)")
    }
}
