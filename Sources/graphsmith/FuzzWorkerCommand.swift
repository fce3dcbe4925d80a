import ArgumentParser
import Campaign
import Foundation
import Generator
import InputSearch
import LoopIR

/// `graphsmith fuzz-worker DIR --worker K`: one test worker of a campaign (started by `fuzz`, not by users).
struct FuzzWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-worker",
        abstract: "A campaign's test worker process (internal; started by 'graphsmith fuzz').",
        shouldDisplay: false
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: "The campaign directory.")
    var campaign: String

    @Option(help: "This worker's number.")
    var worker: Int

    @Option(help: "Folder for the staged test (default: CAMPAIGN/.staging/wK).")
    var staging: String?

    func run() throws {
        WorkerLoop.defaultSignals()
        WorkerLoop.dieWithParent()
        let config = try campaignError { try JSONCoding.decode(CampaignConfig.self, from: campaign + "/config.json") }
        WorkerLoop.limitMemory(mebibytes: config.memoryLimitMiB)
        let library = try specs.loadLibrary()
        try WorkerLoop.run(config: config, staging: staging ?? "\(campaign)/.staging/w\(worker)") { config in
            let options = try GeneratorOptions.parse(config.generatorArguments)
            let generatorConfig = try options.config()
            let faults = WorkerLoop.faults(config.faults)
            let plan = try TestPlan(library: library, config: config, generatorConfig: generatorConfig,
                                    feasibility: options.noValueCheck ? nil : SearchFeasibility(library: library),
                                    preparer: SearchInputPreparer(library: library))
            let backends = config.backends.compactMap(BackendSpec.init).map {
                (name: $0.description, backend: $0.make(library: library, faults: faults.compiler, timeout: config.testTimeout,
                                                        disabledPasses: Set(config.disabledPasses)))
            }
            return TestExecutor(plan: plan, backends: backends, workerFaults: faults.worker)
        }
    }
}

extension GeneratorOptions {
    /// The long option names of these options (to tell whether a command line gave any).
    static let optionNames: Set<String> = ["--nodes", "--include", "--exclude", "--dtypes", "--kernels", "--max-elements", "--max-rank", "--no-value-check"]

    /// These options as command-line arguments (paths made absolute), so a worker can parse the same options.
    func arguments(defaultMaxElements: Int) -> [String] {
        var a = ["--nodes", "\(nodes)", "--max-elements", "\(maxElements ?? defaultMaxElements)", "--max-rank", "\(maxRank)"]
        if let v = include { a += ["--include", v] }
        if let v = exclude { a += ["--exclude", v] }
        if let v = dtypes { a += ["--dtypes", v] }
        if let v = kernels { a += ["--kernels", URL(fileURLWithPath: v).standardizedFileURL.path] }
        if noValueCheck { a.append("--no-value-check") }
        return a
    }
}
