import Foundation
import Generator
import Oracle

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, fonts or external references).
public enum ReportHTML {
    public static func render(_ m: CampaignMerge) -> String {
        var body = "<h1>graphsmith campaign report</h1>\n<p>\(e(ReportMarkdown.totalsLine(m)))</p>\n"
        if !m.findings.isEmpty { body += "<p>\(e(ReportMarkdown.triageLine(m)))</p>\n" }
        body += table(["directory", "seed", "shard", "backends", "tests", "findings", "time"], m.directories.map { d in
            [d.path, String(d.seed), d.shard, d.backends.joined(separator: ", "), String(d.tests), String(d.findings), ReportMarkdown.duration(d.elapsed)]
        })
        body += "<h2>Over time</h2>\n" + findingsChart(m) + coverageChart(m)
        body += "<h2>Verdicts</h2>\n" + table(["verdict", "tests"], m.verdicts.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        body += "<h2>Findings</h2>\n"
        body += m.newFindings.isEmpty ? "<p>No \(m.findings.isEmpty ? "" : "new ")findings.</p>\n" : table(
            ["id", "triage", "verdict", "stage", "backends", "operators", "hits", "first seen", "message", "repro"],
            m.newFindings.map { f in
                [f.finding.id, f.finding.triage.rawValue, f.finding.verdict.rawValue, f.finding.stage.rawValue, f.finding.backends.joined(separator: ", "),
                 f.finding.operators.joined(separator: ", "), String(f.finding.hits),
                 "\(ReportMarkdown.duration(f.finding.elapsed)) in \(f.firstDirectory) (test \(f.finding.test))"
                     + (f.directories.count > 1 ? "; in \(f.directories.count) directories" : ""),
                 f.finding.message, f.finding.repro]
            }, code: 9)
        body += KnownRendering.html(m.knownRows)
        body += triageSection(m.triage)
        body += "<h2>Coverage</h2>\n"
        body += ReportMarkdown.coverageLines(m).filter { !$0.hasPrefix("|") && !$0.isEmpty }.map { "<p>\(e($0))</p>\n" }.joined()
        if let r = m.coverageReport {
            body += table(["", "covered", "total", "%"], [("operators", r.operators), ("operator pairs (feasible)", r.pairs),
                                                         ("attribute bins (reachable)", r.attributeBins)].map {
                [$0.0, String($0.1.covered), String($0.1.total), String(format: "%.1f", $0.1.percent)]
            })
        }
        if let c = m.compilerCoverage {
            body += table(["in-repo compiler", "fired", "total", "%", "never fired"], c.kinds.map {
                [CompilerCoverage.title($0.kind), String($0.covered), String($0.total), String(format: "%.1f", $0.percent),
                 $0.missing.joined(separator: ", ")]
            })
        }
        body += operatorChart(m)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>graphsmith campaign report</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            code { font-size: 12px; }
            svg { display: block; margin: 12px 0; }
            </style></head><body>
            \(body)</body></html>

            """
    }

    /// Outcomes per backend by triage class, and the outcomes listed apart from the findings (nothing for
    /// directories written before triage classes).
    static func triageSection(_ t: TriageRecord) -> String {
        guard !t.backends.isEmpty else { return "" }
        var out = "<h2>Outcomes per backend</h2>\n"
        out += TriageRendering.sentences(t).map { "<p>\(e($0))</p>\n" }.joined()
        let backends = TriageRendering.backendTable(t)
        out += table(backends.header, backends.rows)
        out += "<h3>Outcomes apart (not findings)</h3>\n"
        let apart = TriageRendering.apartTable(t)
        return out + (t.apart.isEmpty ? "<p>None.</p>\n" : table(apart.header, apart.rows))
    }

    /// Unique findings over time: one line per directory (from its samples), and the merged, de-duplicated count.
    static func findingsChart(_ m: CampaignMerge) -> String {
        let scale = timeScale(m)
        var lines = m.directories.enumerated().map { k, d in
            ChartLine(label: d.path, color: SVGChart.palette[(k + 1) % SVGChart.palette.count],
                      points: d.samples.map { (x: $0.elapsed / scale.divisor, y: Double($0.findings)) }, steps: true)
        }
        let end = m.directories.flatMap(\.samples).map(\.elapsed).max() ?? 0
        var merged: [(x: Double, y: Double)] = [(x: 0, y: 0)]
        for (k, f) in m.findings.enumerated() { merged.append((x: f.finding.elapsed / scale.divisor, y: Double(k + 1))) }
        merged.append((x: max(end, m.findings.last?.finding.elapsed ?? 0) / scale.divisor, y: Double(m.findings.count)))
        lines.insert(ChartLine(label: "all, de-duplicated", color: SVGChart.palette[0], points: merged, dashed: true, steps: true), at: 0)
        return SVGChart.lines(title: "Unique findings over time", xLabel: "elapsed (\(scale.unit))", yLabel: "findings", lines: lines)
    }

    /// Coverage percentages over time: a colour per measure, a line per directory (one legend entry per measure).
    static func coverageChart(_ m: CampaignMerge) -> String {
        let scale = timeScale(m)
        let measures: [(String, String, (StatsSample) -> Double)] = [
            ("operators", SVGChart.palette[0], { percent($0.operators, $0.operatorsTotal) }),
            ("operator pairs", SVGChart.palette[1], { percent($0.pairs, $0.pairsTotal) }),
            ("attribute bins", SVGChart.palette[2], { percent($0.bins, $0.binsTotal) }),
        ]
        var lines: [ChartLine] = []
        for (name, color, value) in measures {
            for (k, d) in m.directories.enumerated() {
                lines.append(ChartLine(label: m.directories.count == 1 ? name : "\(name), \(m.directories.count) dirs", color: color,
                                       points: d.samples.map { (x: $0.elapsed / scale.divisor, y: value($0)) }, inLegend: k == 0))
            }
        }
        return SVGChart.lines(title: "Coverage over time", xLabel: "elapsed (\(scale.unit))", yLabel: "% covered", lines: lines, yMax: 100)
    }

    /// Operator occurrences in the tested models, every operator of the specs when known (unused ones at 0).
    static func operatorChart(_ m: CampaignMerge) -> String {
        let names = Set(m.coverage.operators.keys).union(m.coverageReport?.missingOperators ?? []).sorted()
        return SVGChart.bars(title: "Tests per operator", valueLabel: "operator occurrences in tested models",
                             bars: names.map { (label: $0, value: Double(m.coverage.operators[$0] ?? 0)) })
    }

    static func percent(_ covered: Int, _ total: Int) -> Double { total == 0 ? 0 : 100 * Double(covered) / Double(total) }

    /// Minutes once a campaign runs more than five minutes, else seconds.
    static func timeScale(_ m: CampaignMerge) -> (divisor: Double, unit: String) {
        let end = (m.directories.flatMap(\.samples).map(\.elapsed) + m.findings.map(\.finding.elapsed)).max() ?? 0
        return end > 300 ? (60, "minutes") : (1, "seconds")
    }

    /// An HTML table; the column at index `code` (if any) is set in `<code>`.
    static func table(_ header: [String], _ rows: [[String]], code: Int? = nil) -> String {
        var s = "<table><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for r in rows {
            s += "<tr>" + r.enumerated().map { k, c in k == code ? "<td><code>\(e(c))</code></td>" : "<td>\(e(c))</td>" }.joined() + "</tr>\n"
        }
        return s + "</table>\n"
    }

    static func e(_ s: String) -> String { SVGChart.escape(s) }
}
