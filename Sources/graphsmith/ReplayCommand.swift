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
            corrupt finding file (named in the message).

            Examples:
              graphsmith replay campaign/findings/f-0123456789ab
              graphsmith replay campaign --json
              graphsmith replay Corpus --expect auto
              graphsmith replay campaign/findings/f-0123456789ab --times 100
            """
    )

    enum Expectation: String, ExpressibleByArgument { case reproduces, fixed, auto }

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("Finding folders or directories of findings.", valueName: "path"))
    var paths: [String]

    @Option(help: "The outcome every finding should have: reproduces, fixed, or auto (reproduces for a finding whose campaign injected faults, fixed for the others: what a regression corpus expects).")
    var expect: Expectation = .reproduces

    @Option(help: "Replay each finding this many times (to check that it replays reliably).")
    var times = 1

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        guard times >= 1 else { throw UserError("--times must be at least 1") }
        let specsDir = (try specs.resolve() as NSString).standardizingPath
        let folders = try campaignError { try paths.flatMap(Replay.findingFolders) }
        guard !folders.isEmpty else { throw UserError("no findings under \(paths.joined(separator: ", "))") }
        let checked = try campaignError { try folders.map { ($0, try Replay.check($0)) } }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let staging = NSTemporaryDirectory() + "graphsmith-replay-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var results: [ReplayResult] = []
        var unexpected = 0
        for (folder, (record, config)) in checked {
            let wanted: ReplayResult.Outcome = switch expect {
            case .reproduces: .reproduces
            case .fixed: .fixed
            case .auto: config.faults.isEmpty ? .fixed : .reproduces
            }
            let worker = TestWorker(executable: exe, arguments: ["fuzz-worker", folder, "--worker", "0", "--staging", staging, "--specs", specsDir])
            defer { worker.stop() }
            for _ in 0..<times {
                let r = try campaignError { try Replay.run(folder, record: record, config: config, worker: worker) }
                results.append(r)
                if r.outcome != wanted { unexpected += 1 }
                if !json {
                    let now = r.outcome == .reproduces ? "" : " (now \(r.verdict.rawValue)\(r.message.isEmpty ? "" : ": \(r.message)"))"
                    Console.out("\((folder as NSString).lastPathComponent): \(r.outcome.rawValue)\(now)\(r.outcome == wanted ? "" : ", expected \(wanted.rawValue)")")
                }
            }
        }
        if json { try Console.json(results) }
        if !json { Console.out("\(results.count) replays: \(results.count - unexpected) as expected, \(unexpected) not") }
        if unexpected > 0 { throw ExitCode(Outcome.checkFailed) }
    }
}
