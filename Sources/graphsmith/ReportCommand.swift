import ArgumentParser
import Campaign
import Foundation
import Generator

/// `graphsmith report DIR... --out DIR`: merges campaign directories into report.md, report.html and summary.json.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Merge campaign directories into one report (Markdown, HTML with charts, JSON).",
        discussion: """
            Reads each campaign directory made by 'graphsmith fuzz' (shards of one campaign and/or separate \
            campaigns), de-duplicates findings by fingerprint (hits summed, the earliest first hit kept, the \
            directories that had it listed), sums tests and verdicts, merges coverage and the outcomes per \
            backend by triage class (with the de-duplicated outcomes that are not findings: unsupported, \
            precision-policy, undefined-behaviour; none for directories written before them), and writes report.md, \
            report.html (self-contained, with SVG charts: findings over time, coverage over time, tests per \
            operator) and summary.json into --out. Coverage ratios are over the specs' operators, feasible \
            operator pairs and reachable attribute bins, found with the generator options given here (use \
            the campaign's, e.g. the same --kernels table). Time series stay per directory, one line each.

            A missing or corrupt campaign file is a one-line error naming it (exit 2); a half-written last \
            line of stats.jsonl (a killed campaign) is skipped. With --fail-on-findings the exit code is 1 \
            when the merged campaigns have any finding that is not known.

            Known findings: the known-findings files the campaigns were run with ('fuzz --known', kept in their \
            config.json), or --known FILE instead. Findings a file lists are listed apart ('known: ID (note)'), do \
            not fail --fail-on-findings, and the report prints 'N new findings, M known'.

            Examples:
              graphsmith report campaign --out report
              graphsmith report campaign-* --out report --fail-on-findings
              graphsmith report campaign-* --out report --known known.json --fail-on-findings
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup var generator: GeneratorOptions

    @Argument(help: ArgumentHelp("Campaign directories.", valueName: "dir"))
    var directories: [String]

    @Option(help: ArgumentHelp("Write the report here (created if missing).", valueName: "dir"))
    var out = "report"

    @Flag(help: "Exit with code 1 when the merged campaigns have any finding (any new one, with a known-findings file).")
    var failOnFindings = false

    @Option(help: ArgumentHelp("A known-findings file, instead of the ones the campaigns were run with.", valueName: "file"))
    var known: String?

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give at least one campaign directory") }
        // The same directory twice would count its tests and hits twice.
        var seen: Set<String> = []
        for d in directories where !seen.insert(URL(fileURLWithPath: d).standardizedFileURL.path).inserted {
            throw ValidationError("campaign directory '\(d)' is given twice")
        }
    }

    func run() throws {
        try OutputFolder.check(out, flag: "--out")
        let dirs = try directories.map { path in try campaignFile { try CampaignDirectory.read(path) } }
        var merge = CampaignMerge(dirs)
        let library = try specs.loadLibrary()
        // The campaigns' own generator settings give the denominators, unless options are given here.
        let config = try GeneratorOptions.given(in: CommandLine.arguments) ? generator.config() : GeneratorOptions.config(dirs[0].config.generator)
        let denominators = CoverageDenominators(library: library, config: config)
        merge.coverageReport = denominators.report(merge.coverage)
        if CompilerCoverage.hasFeedback(merge.coverage) { merge.compilerCoverage = CompilerCoverage(merge.coverage, library: library) }
        let knownFiles = try knownFiles(dirs)
        let knownFindings = try campaignFile { try KnownFindings.read(files: knownFiles) }
        merge.markKnown(knownFindings)
        // A campaign (or finding) folder has its own summary.json, which the merge's would replace.
        if FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("config.json")) {
            throw UserError("--out \(out): a campaign or finding folder (it has config.json), whose summary would be replaced; "
                            + "choose another folder for the report")
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create directory '\(out)'")
        }
        try campaignFile {
            try AtomicFile.write(ReportMarkdown.render(merge), to: out + "/report.md")
            try AtomicFile.write(ReportHTML.render(merge), to: out + "/report.html")
            try AtomicFile.writeJSON(merge, to: out + "/summary.json")
        }
        Console.out(ReportMarkdown.totalsLine(merge))
        if !knownFiles.isEmpty { Console.out(KnownRendering.counts(new: merge.newFindings.count, known: merge.known.count)) }
        Console.out("wrote \(out)/report.md, \(out)/report.html and \(out)/summary.json")
        if failOnFindings && KnownFindings.failing(findings: merge.findings.map(\.finding), known: knownFindings) {
            throw ExitCode(Outcome.checkFailed)
        }
    }

    /// --known, else the files the campaigns' configs name (each once); a named file that is gone is an error,
    /// since without it known findings would fail the report.
    private func knownFiles(_ dirs: [CampaignDirectory]) throws -> [String] {
        if let known {
            guard FileManager.default.fileExists(atPath: known) else { throw UserError("--known \(known): no such file") }
            return [known]
        }
        var files: [String] = []
        for d in dirs {
            guard let file = d.config.knownFile, !files.contains(file) else { continue }
            guard FileManager.default.fileExists(atPath: file) else {
                throw UserError("\(d.path)/config.json: its known-findings file \(file) is missing (pass --known FILE)")
            }
            files.append(file)
        }
        return files
    }

    /// Campaign file errors (a missing or corrupt file, a failed write) are the user's: one line, exit 2.
    private func campaignFile<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CampaignError { throw UserError(e.description) }
    }
}
