import Foundation
import ModelIR
import ONNX
import Oracle
import SpecLib

/// Completes a staged test folder into a finding folder: the record, the ONNX model and a readable report.
public enum FindingFiles {
    /// A finding folder as `Staging` and `complete` make it, which a later filing of the same finding may replace
    /// (`graphsmith check` run again on a model); a folder holding anything else is refused, never replaced.
    public static let folder = OwnedFolder(
        kind: "a finding folder", advice: "move it away or choose another --out",
        names: ["model.txt", "inputs", "outputs", "config.json", "model.onnx", "report.md", "finding.json"],
        required: ["finding.json"])

    public static func complete(_ folder: String, record: FindingRecord, config: CampaignConfig, library: SpecLibrary) throws {
        // The campaign's config travels with the finding, so that a copied finding (a Corpus case) replays alone.
        try AtomicFile.writeJSON(config, to: folder + "/config.json")
        var onnxNote = "model.onnx: the model in ONNX"
        if let text = try? String(contentsOfFile: folder + "/model.txt", encoding: .utf8),
           let model = try? TextReader.read(text, path: folder + "/model.txt") {
            do { try Exporter.write(model, library: library, path: folder + "/model.onnx") } catch {
                onnxNote = "model.onnx: not written (\(oneLine(error)))"
            }
        }
        try AtomicFile.write(report(record, onnxNote: onnxNote, folder: folder), to: folder + "/report.md")
        try AtomicFile.writeJSON(record, to: folder + "/finding.json")
    }

    /// The finding's report.md.
    static func report(_ r: FindingRecord, onnxNote: String, folder: String) -> String {
        let outputs = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/outputs")) ?? []).sorted()
        return """
            # Finding \(r.id): \(r.triage.rawValue) (\(r.verdict.rawValue)) at \(r.stage.rawValue)

            - triage class: \(r.triage.rawValue)
            - backends: \(r.backends.joined(separator: ", "))
            - operator at the first diverging value: \(r.operators.isEmpty ? "(not localized)" : r.operators.joined(separator: ", "))
            - message: \(r.message)
            - culprit pass (switching it off mends the test): \(r.culpritPass ?? "none: no single pass does")
            - first hit: test \(r.test) (seed \(r.testSeed)), \(String(format: "%.1f", r.elapsed)) s into the campaign
            - fingerprint: `\(r.fingerprint)`

            Reproduce:

                \(r.repro)

            Files: model.txt (the model), \(onnxNote), inputs/*.pb (its inputs)\(outputs.isEmpty ? "" : ", outputs/BACKEND/K.pb (output K of each backend: \(outputs.joined(separator: ", ")))").

            """
    }
}

/// The campaign summary as Markdown (for CI job summaries) and JUnit XML (for CI test reports).
public enum SummaryRendering {
    public static func markdown(_ s: CampaignSummary) -> String {
        var lines = ["# graphsmith campaign", ""]
        let verdicts = Verdict.allCases.compactMap { v in s.state.verdicts[v.rawValue].map { "\(v.rawValue) \($0)" } }
        lines.append("- tests: \(s.state.tests) in \(String(format: "%.0f", s.state.elapsed)) s (\(verdicts.joined(separator: ", ")))")
        lines.append("- seed \(s.config.seed), shard \(s.config.shardIndex)/\(s.config.shardCount), \(s.config.nodes) operators per model")
        lines.append("- backends: reference vs \(s.config.backends.joined(separator: ", "))")
        if !s.config.faults.isEmpty { lines.append("- injected faults: \(s.config.faults.joined(separator: ", "))") }
        if let l = s.last {
            lines.append("- coverage: operators \(l.operators)/\(l.operatorsTotal), operator pairs \(l.pairs)/\(l.pairsTotal), attribute bins \(l.bins)/\(l.binsTotal)")
        }
        lines.append("- findings: \(s.findings.count)" + byTriage(s.findings)
                     + (s.known.isEmpty ? "" : "; \(s.newFindings.count) new, \(s.known.count) known"))
        if !s.newFindings.isEmpty {
            lines += ["", "| id | triage | verdict | stage | backends | operator | hits | first (s) | message |", "|---|---|---|---|---|---|---|---|---|"]
            for f in s.newFindings {
                let msg = f.message.replacingOccurrences(of: "|", with: "\\|")
                lines.append("| \(f.id) | \(f.triage.rawValue) | \(f.verdict.rawValue) | \(f.stage.rawValue) | \(f.backends.joined(separator: ", ")) | \(f.operators.joined(separator: ", ")) | \(f.hits) | \(String(format: "%.1f", f.elapsed)) | \(msg) |")
            }
        }
        lines += KnownRendering.markdown(s.findings.compactMap { f in s.knownNote(f).map { (f, $0) } })
        if let t = s.triage { lines += TriageRendering.markdown(t, heading: "## Outcomes per backend") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// ` (2 wrong-result, 1 internal-error)`: findings by triage class, empty when there are none.
    static func byTriage(_ findings: [FindingRecord]) -> String {
        let counts = Triage.allCases.compactMap { c in
            let n = findings.filter { $0.triage == c }.count
            return n == 0 ? nil : "\(n) \(c.rawValue)"
        }
        return counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"
    }

    /// One test case per finding plus one for the campaign as a whole: a new finding of a failing triage class
    /// fails, a known one is skipped (outcomes listed apart are not test cases).
    public static func junit(_ s: CampaignSummary) -> String {
        func esc(_ t: String) -> String {
            t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let failures = s.newFindings.count
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<testsuite name=\"graphsmith-campaign\" tests=\"\(s.findings.count + 1)\" failures=\"\(failures)\" skipped=\"\(s.findings.count - s.newFindings.count)\" time=\"\(String(format: "%.1f", s.state.elapsed))\">",
                   "  <testcase classname=\"campaign\" name=\"\(s.state.tests) tests\"/>"]
        for f in s.findings {
            out.append("  <testcase classname=\"finding\" name=\"\(esc(f.id)) \(esc(f.triage.rawValue)) \(esc(f.verdict.rawValue)) \(esc(f.operators.joined(separator: ",")))\">")
            if let note = s.knownNote(f) {
                out.append("    <skipped message=\"\(esc("known: \(note)"))\"/>")
            } else if f.triage.isFailing {
                out.append("    <failure message=\"\(esc(f.triage.rawValue)): \(esc(f.message))\">\(esc(f.repro))</failure>")
            }
            out.append("  </testcase>")
        }
        out.append("</testsuite>")
        return out.joined(separator: "\n") + "\n"
    }
}
