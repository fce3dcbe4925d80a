import Foundation

/// Known findings as listed apart, below the new ones, in summary.md, report.md and report.html.
public enum KnownRendering {
    /// The known findings with their notes, in the order given.
    public typealias Rows = [(finding: FindingRecord, note: String)]

    /// `## Known findings` and one `- known: f-… (note): …` line each; nothing when there are none.
    public static func markdown(_ rows: Rows) -> [String] {
        guard !rows.isEmpty else { return [] }
        return ["", "## Known findings", "", "Listed in the known-findings file; they do not fail `--fail-on-findings`.", ""]
            + rows.map { "- " + line($0.finding, $0.note) }
    }

    /// The same as an HTML section.
    public static func html(_ rows: Rows) -> String {
        guard !rows.isEmpty else { return "" }
        return "<h2>Known findings</h2>\n<p>Listed in the known-findings file; they do not fail --fail-on-findings.</p>\n<ul>\n"
            + rows.map { "<li>\(SVGChart.escape(line($0.finding, $0.note)))</li>\n" }.joined() + "</ul>\n"
    }

    /// `known: f-0123456789ab (https://…/issues/12): mismatch at execute, Add, Relu, 3 hits`.
    static func line(_ f: FindingRecord, _ note: String) -> String {
        let ops = f.operators.isEmpty ? "" : ", " + f.operators.joined(separator: ", ")
        return "known: \(f.id) (\(note.replacingOccurrences(of: "\n", with: " "))): \(f.verdict.rawValue) at \(f.stage.rawValue)\(ops), "
            + "\(f.hits) hit\(f.hits == 1 ? "" : "s")"
    }

    /// `3 new findings, 1 known`: the line a campaign or report prints when it has a known-findings file.
    public static func counts(new: Int, known: Int) -> String {
        "\(new) new finding\(new == 1 ? "" : "s"), \(known) known"
    }
}
