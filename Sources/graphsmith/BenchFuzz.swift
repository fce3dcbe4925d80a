import ArgumentParser
import Campaign
import Foundation

/// `graphsmith bench fuzz`: end-to-end campaign throughput (tests per second) with the given jobs and backends.
struct BenchFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Campaign throughput: tests/second end to end (generate, search inputs, run every backend, compare).",
        discussion: """
            Runs a campaign on the correct compiler in a temporary directory for --time and prints the rate (tests \
            per second of campaign time, workers' start-up included), the verdicts and the number of findings \
            (which should be 0). A test is one model with one input set on all the campaign's backends.

            Examples:
              graphsmith bench fuzz
              graphsmith bench fuzz --time 600 --jobs 2 --json
              graphsmith bench fuzz --backends vm-O0,vm-O3,native-O3
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Option(parsing: .unconditional, help: "Seconds to run.")
    var time: Int = 60

    @Option(parsing: .unconditional, help: "Worker processes.")
    var jobs: Int = 2

    @Option(help: ArgumentHelp("Backends (comma-separated).", valueName: "list"))
    var backends: String = "vm-O0,vm-O1,vm-O2,vm-O3"

    @Option(parsing: .unconditional, help: "Operators per model.")
    var nodes: Int = 10

    @Option(parsing: .unconditional, help: "Campaign seed.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON.")
    var json = false

    struct Result: Encodable {
        var seconds: Double
        var tests: Int
        var testsPerSecond: Double
        var jobs: Int
        var backends: [String]
        var verdicts: [String: Int]
        var findings: Int
    }

    func run() throws {
        try FlagChecks.atLeast(1, time, "--time")
        try FlagChecks.jobs(jobs)
        try FlagChecks.nodes(nodes)
        let dir = try ScratchFolder.make("graphsmith-bench-fuzz")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var args = ["--time", "\(time)s", "--jobs", "\(jobs)", "--backends", backends, "--nodes", "\(nodes)",
                    "--seed", "\(seed)", "--out", dir, "--quiet"]
        if let s = specs.directory { args += ["--specs", s] }
        try FuzzCommand.parse(args).run()
        let summary = try campaignError { try JSONCoding.decode(CampaignSummary.self, from: dir + "/summary.json") }
        let r = Result(seconds: summary.state.elapsed, tests: summary.state.tests,
                       testsPerSecond: Double(summary.state.tests) / max(summary.state.elapsed, 0.001), jobs: jobs,
                       backends: summary.config.backends, verdicts: summary.state.verdicts, findings: summary.findings.count)
        if json { return try Console.json(r) }
        Console.out(String(format: "%d tests in %.1f s with %d jobs: %.1f tests/s", r.tests, r.seconds, jobs, r.testsPerSecond))
        Console.out("backends: reference vs \(r.backends.joined(separator: ", "))")
        Console.out("verdicts: " + r.verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        Console.out("findings: \(r.findings)")
    }
}
