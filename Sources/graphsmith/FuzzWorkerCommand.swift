import ArgumentParser
import Campaign
import Foundation

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

    @Option(parsing: .unconditional, help: "This worker's number.")
    var worker: Int

    @Option(help: "Folder for the staged test (default: CAMPAIGN/.staging/wK).")
    var staging: String?

    func run() throws {
        WorkerLoop.defaultSignals()
        WorkerLoop.dieWithParent()
        let config = try campaignError { try JSONCoding.decode(CampaignConfig.self, from: campaign + "/config.json") }
        WorkerLoop.limitMemory(mebibytes: config.memoryLimitMiB)
        let library = try specs.loadLibrary()
        try WorkerLoop.run(config: config, staging: staging ?? "\(campaign)/.staging/w\(worker)") {
            try TestExecutor(config: $0, library: library)
        }
    }
}
