import Foundation
import Oracle

/// The tables of a `TriageRecord` that summary.md, report.md and report.html show: outcomes per backend by triage
/// class, and the de-duplicated outcomes listed apart from the findings.
enum TriageRendering {
    /// Header and rows of the per-backend table: tests, passed, then a column per class that occurs.
    static func backendTable(_ t: TriageRecord) -> (header: [String], rows: [[String]]) {
        let classes = Triage.allCases.filter { c in t.backends.values.contains { $0[c] > 0 } }
        let header = ["backend", "tests", "passed"] + classes.map { $0.isFailing ? $0.rawValue : "\($0.rawValue) (apart)" }
        let rows = t.backends.sorted { $0.key < $1.key }.map { name, tally in
            [name, String(tally.tests), String(tally.passed)] + classes.map { String(tally[$0]) }
        }
        return (header, rows)
    }

    /// Header and rows of the list of outcomes apart, most hits first.
    static func apartTable(_ t: TriageRecord) -> (header: [String], rows: [[String]]) {
        let header = ["class", "backend", "hits", "first test (seed)", "message"]
        let rows = t.apart.enumerated().sorted { ($1.element.hits, $0.offset) < ($0.element.hits, $1.offset) }.map { _, e in
            [e.triage.rawValue, e.backend, String(e.hits), "\(e.test) (\(e.testSeed))", e.message]
        }
        return (header, rows)
    }

    /// One sentence per backend: `openvino: 9000 tests, 8100 passed; apart: 700 unsupported, 177 precision-policy.`
    static func sentences(_ t: TriageRecord) -> [String] {
        t.backends.sorted { $0.key < $1.key }.map { name, tally in
            func list(_ classes: [Triage]) -> String {
                classes.filter { tally[$0] > 0 }.map { "\(tally[$0]) \($0.rawValue)" }.joined(separator: ", ")
            }
            let failing = list(Triage.failing), apart = list(Triage.apart)
            return "\(name): \(tally.tests) tests, \(tally.passed) passed" + (failing.isEmpty ? "" : "; failing: \(failing)")
                + (apart.isEmpty ? "" : "; apart: \(apart)") + "."
        }
    }

    /// The Markdown section (empty when the record is): the per-backend table and the list apart.
    static func markdown(_ t: TriageRecord, heading: String) -> [String] {
        guard !t.backends.isEmpty else { return [] }
        var out = ["", heading, ""] + sentences(t).map { "- \($0)" } + [""]
        let table = backendTable(t)
        out += [ReportMarkdown.row(table.header), ReportMarkdown.row(table.header.map { _ in "---" })]
        out += table.rows.map(ReportMarkdown.row)
        out += ["", "Outcomes apart (not findings, never failing a run): what a backend declares unsupported, what its "
                    + "documented precision explains, and tests whose values ONNX leaves undefined.", ""]
        if t.apart.isEmpty { return out + ["None."] }
        let apart = apartTable(t)
        out += [ReportMarkdown.row(apart.header), ReportMarkdown.row(apart.header.map { _ in "---" })]
        return out + apart.rows.map(ReportMarkdown.row)
    }
}
