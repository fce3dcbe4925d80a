import Foundation
import Generator
import Oracle

/// `report.md`: the merged campaigns as Markdown (the nightly job appends it to the CI run's summary).
public enum ReportMarkdown {
    public static func render(_ m: CampaignMerge) -> String {
        var out = ["# graphsmith campaign report", ""]
        out.append(totalsLine(m))
        if !m.findings.isEmpty { out += ["", triageLine(m)] }
        out += ["", "| directory | seed | shard | backends | tests | findings | tests per finding | time |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for d in m.directories {
            out.append(row([d.path, String(d.seed), d.shard, d.backends.joined(separator: ", "), String(d.tests), String(d.findings),
                            d.findings == 0 ? "-" : yield(tests: d.tests, findings: d.findings), duration(d.elapsed)]))
        }
        out += ["", "## Verdicts", "", "| verdict | tests |", "| --- | --- |"]
        for v in Verdict.allCases where m.verdicts[v.rawValue] != nil { out.append(row([v.rawValue, String(m.verdicts[v.rawValue]!)])) }
        for (name, n) in m.verdicts.sorted(by: { $0.key < $1.key }) where Verdict(rawValue: name) == nil { out.append(row([name, String(n)])) }
        out += ["", "## Findings", ""]
        if m.newFindings.isEmpty {
            out.append(m.findings.isEmpty ? "No findings." : "No new findings.")
        } else {
            out += ["| id | triage | verdict | stage | backends | operators | hits | first seen | repro |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
            for f in m.newFindings { out.append(findingRow(f)) }
        }
        out += KnownRendering.markdown(m.knownRows)
        out += TriageRendering.markdown(m.triage, heading: "## Outcomes per backend")
        out += scheduleLines(m.schedule ?? [])
        out += ["", "## Coverage", ""] + coverageLines(m)
        return out.joined(separator: "\n") + "\n"
    }

    /// `3 campaign directories, 1200 tests, 2 unique findings (5 hits), one per 600 tests, 1h 30m of campaign time.`
    public static func totalsLine(_ m: CampaignMerge) -> String {
        "\(m.directories.count) campaign director\(m.directories.count == 1 ? "y" : "ies"), \(m.tests) tests, "
            + "\(m.findings.count) unique finding\(m.findings.count == 1 ? "" : "s") (\(m.hits) hit\(m.hits == 1 ? "" : "s")), "
            + (m.findings.isEmpty ? "" : "one per \(yield(tests: m.tests, findings: m.findings.count)) tests, ")
            + "\(duration(m.elapsed)) of campaign time."
    }

    /// Tests per unique finding, the campaign's yield, to one decimal below 10 (`2.5`), whole above (`600`).
    public static func yield(tests: Int, findings: Int) -> String {
        let y = Double(tests) / Double(max(findings, 1))
        return y < 10 ? String(format: "%.1f", y) : String(Int(y.rounded()))
    }

    /// `Findings by triage class: 2 wrong-result, 1 internal-error.`, empty without findings.
    static func triageLine(_ m: CampaignMerge) -> String {
        let counts = Triage.failing.compactMap { c in
            let n = m.findings.filter { $0.finding.triage == c }.count
            return n == 0 ? nil : "\(n) \(c.rawValue)"
        }
        return counts.isEmpty ? "" : "Findings by triage class: \(counts.joined(separator: ", "))."
    }

    static func findingRow(_ m: MergedFinding) -> String {
        let f = m.finding
        let seen = "\(duration(f.elapsed)) in \(m.firstDirectory) (test \(f.test))"
            + (m.directories.count > 1 ? "; also in \(m.directories.filter { $0 != m.firstDirectory }.joined(separator: ", "))" : "")
        return row([f.id, f.triage.rawValue, f.verdict.rawValue, f.stage.rawValue, f.backends.joined(separator: ", "), f.operators.joined(separator: ", "),
                    String(f.hits), seen, "`\(f.repro)`"])
    }

    /// The schedule arms' yield: where the campaign spent its tests and what failed there.
    static func scheduleLines(_ arms: [ArmYield]) -> [String] {
        guard !arms.isEmpty else { return [] }
        var out = ["", "## Schedule", "", "Tests per arm (a model size and dtype family, or `backend:NAME`, the backend odd tests focused on; `YieldSchedule`), and the tests that failed.", "",
                   "| arm | tests | failing tests | tests per failure |", "| --- | --- | --- | --- |"]
        for a in arms {
            out.append(row([a.arm, String(a.tests), String(a.failures), a.failures == 0 ? "-" : yield(tests: a.tests, findings: a.failures)]))
        }
        return out
    }

    static func coverageLines(_ m: CampaignMerge) -> [String] {
        var lines = ["Models tested: \(m.coverage.models); operators used: \(m.coverage.operators.count); "
            + "operator pairs: \(m.coverage.pairs.count); attribute bins: \(m.coverage.attributeBins.count)."]
        if let r = m.coverageReport {
            lines += ["", "| | covered | total | % |", "| --- | --- | --- | --- |"]
            for (name, ratio) in [("operators", r.operators), ("operator pairs (feasible)", r.pairs), ("attribute bins (reachable)", r.attributeBins)] {
                lines.append(row([name, String(ratio.covered), String(ratio.total), String(format: "%.1f", ratio.percent)]))
            }
            if !r.missingOperators.isEmpty { lines += ["", "Operators never tested: \(r.missingOperators.joined(separator: ", "))."] }
        }
        if !m.coverage.valuePatterns.isEmpty {
            let moved = m.coverage.valuePatterns.values.reduce(0, +)
            lines += ["", "Tests with inputs moved toward a boundary value pattern: \(moved) of \(m.coverage.models) ("
                + m.coverage.valuePatterns.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")."]
        }
        if let c = m.compilerCoverage {
            lines += ["", "In-repo compiler feedback (what fired in at least one test, of what exists):", "",
                      "| | fired | total | % | never fired |", "| --- | --- | --- | --- | --- |"]
            for k in c.kinds {
                lines.append(row([CompilerCoverage.title(k.kind), String(k.covered), String(k.total), String(format: "%.1f", k.percent),
                                  k.missing.joined(separator: ", ")]))
            }
            lines += ["", "Fused-group shapes built (operators and dtype): \(c.groupShapes)."]
        }
        return lines
    }

    /// A table row; pipes inside cells are escaped so they do not split the cell.
    static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |"
    }

    /// `42s`, `12m 5s`, `3h 2m`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        return "\(s / 3600)h \((s % 3600) / 60)m"
    }
}
