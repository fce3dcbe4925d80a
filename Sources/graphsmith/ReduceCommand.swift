import ArgumentParser
import Campaign
import Foundation
import Reducer

/// `graphsmith reduce FINDING`: minimize a finding while it still fails the same way.
struct ReduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reduce",
        abstract: "Minimize a finding: fewer operators, simpler attributes and inputs, the fewest compiler passes.",
        discussion: """
            Steps, in order: cut the graph by delta debugging over operators (a removed operator's output becomes \
            a model input fed with the reference's value, so the rest stays valid and finite), remove or bypass \
            single operators, shrink input shapes (nodes instantiated again from their specs), set attributes to their defaults, shorten input values, and bisect the compiler passes to \
            the ones the failure needs. Each candidate runs in a worker process; a candidate is kept when it \
            still fails with the finding's verdict and stage on one of its backends.

            Writes a reduced finding folder (default CAMPAIGN/reduced/ID, or FINDING-reduced outside a campaign) with the usual finding files, \
            reduction.md/reduction.json (before and after: operators, elements, passes) and, when the failing \
            backend is an outside compiler, repro.py (reruns model.onnx on that compiler with the same settings, \
            needing only its Python package, onnx and numpy; exit 1 while the bug reproduces) and bug-report.md \
            (title, versions, the model as a table, inputs, expected vs actual or the error, the repro command). \
            When the worker host cannot write repro.py, the reduction says why and goes on. --out must be a new or \
            empty folder, or an earlier reduction (which is replaced); any other folder is refused, never deleted.

            Examples:
              graphsmith reduce campaign/findings/f-0123456789ab
              graphsmith reduce campaign/findings/f-0123456789ab --out small --time 2m
            """
    )

    @OptionGroup var specs: SpecsOptions

    @Argument(help: ArgumentHelp("A finding folder.", valueName: "finding"))
    var finding: String

    @Option(help: ArgumentHelp("Where to write the reduced finding: a new or empty folder, or an earlier reduction (default: CAMPAIGN/reduced/ID for a campaign's finding, else FINDING-reduced).", valueName: "dir"))
    var out: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Time limit (e.g. 90s, 5m).", valueName: "duration"))
    var time: String = "5m"

    @Flag(help: "Print the reduction summary as JSON.")
    var json = false

    func run() throws {
        let library = try specs.loadLibrary()
        let specsDir = (try specs.resolve() as NSString).standardizingPath
        let limit = try FuzzCommand.parseDuration(time)
        let reduction = try campaignError { try Reduction(folder: (finding as NSString).standardizingPath, name: finding) }
        try CampaignBackends.requireAvailable(reduction.config, finding: finding, library: library)
        let target = out ?? Reduction.defaultOutput(reduction.folder)
        // Before the reduction runs, so minutes of work are not spent on an output that will be refused.
        try campaignError { try ReductionOutput.check(target) }
        let scratch = try ScratchFolder.make("graphsmith-reduce")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let worker = WorkerCommand.finding(reduction.folder, staging: scratch + "/staging", specs: specsDir)
        defer { worker.stop() }
        let quiet = json
        let reduced = try campaignError {
            try reduction.run(library: library, worker: worker, scratch: scratch, timeLimit: limit, to: target) { if !quiet { Console.error($0) } }
        }
        guard let summary = reduced else {
            throw UserError("\(finding): the finding does not reproduce (replay it to see what it does now)")
        }
        if json { return try Console.json(summary) }
        let size = summary.before
        Console.out("\(reduction.record.id): \(size.operators) -> \(summary.after.operators) operators, \(size.elements) -> \(summary.after.elements) elements, \(size.passes) -> \(summary.after.passes) passes in \(String(format: "%.1f", summary.seconds)) s")
        if let op = summary.firstDivergingOperator { Console.out("first diverging operator: \(op)") }
        Console.out("passes needed: \(summary.neededPasses.isEmpty ? "none" : summary.neededPasses.joined(separator: ", "))")
        if let note = summary.externalNote { Console.out(note) }
        Console.out("reduced finding: \(target)")
    }
}
