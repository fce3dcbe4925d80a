import ArgumentParser
import Campaign
import Foundation

/// `graphsmith replay FINDING|DIR...`: rerun findings and say whether each still reproduces.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rerun findings: reproduces, fixed or changed, for each.",
        discussion: """
            Takes finding folders (with finding.json, config.json, model.txt, inputs/), campaign directories \
            (their findings/) or folders of findings (a corpus). Each finding reruns in a worker process with the \
            backends and injected faults of its campaign; it reproduces when the fingerprint is the same, is fixed \
            when the test now passes, and changed when it fails differently.

            Exit codes: 0 every finding had the expected outcome (--expect), 1 some did not, 2 a missing or \
            corrupt finding file (named in the message) or a backend of the finding's campaign that cannot \
            run here.

            Examples:
              graphsmith replay campaign/findings/f-0123456789ab
              graphsmith replay campaign --json
              graphsmith replay Corpus --expect auto
              graphsmith replay campaign/findings/f-0123456789ab --times 100
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("Finding folders or directories of findings.", valueName: "path"))
    var paths: [String]

    @Option(help: "The outcome every finding should have: reproduces, fixed, or auto (reproduces for a finding whose campaign injected faults, fixed for the others: what a regression corpus expects).")
    var expect: ReplayRun.Expectation = .reproduces

    @Option(parsing: .unconditional, help: "Replay each finding this many times (to check that it replays reliably).")
    var times = 1

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try FlagChecks.repeats(times, "--times")
        let specsDir = (try specs.resolve() as NSString).standardizingPath
        let folders = try campaignError { try paths.flatMap(Replay.findingFolders) }
        guard !folders.isEmpty else { throw UserError("no findings under \(paths.joined(separator: ", "))") }
        let library = try specs.loadLibrary()
        let staging = try ScratchFolder.make("graphsmith-replay")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let run = ReplayRun(expect: expect, times: times,
                            worker: { WorkerCommand.finding($0, staging: staging, specs: specsDir) },
                            requireBackends: { try CampaignBackends.requireAvailable($0, finding: $1, library: library) })
        let quiet = json
        let replays = try campaignError { try run.run(folders) { if !quiet { Console.out(Self.line($0)) } } }
        let unexpected = replays.filter { !$0.asExpected }.count
        if json { try Console.json(replays.map(\.result)) }
        if !json { Console.out("\(replays.count) replays: \(replays.count - unexpected) as expected, \(unexpected) not") }
        if unexpected > 0 { throw ExitCode(Outcome.checkFailed) }
    }

    /// `NAME: reproduces`, `NAME: fixed (now pass), expected reproduces`.
    static func line(_ r: ReplayRun.Replayed) -> String {
        let now = r.result.outcome == .reproduces ? "" : " (now \(r.result.verdict.rawValue)\(r.result.message.isEmpty ? "" : ": \(r.result.message)"))"
        return "\((r.folder as NSString).lastPathComponent): \(r.result.outcome.rawValue)\(now)\(r.asExpected ? "" : ", expected \(r.expected.rawValue)")"
    }
}

extension ReplayRun.Expectation: ExpressibleByArgument {}
