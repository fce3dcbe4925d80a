import Campaign
import Foundation
import ModelIR
import ONNX
import Oracle
import SpecLib

/// The numbers of a reduction: before and after, each step, the passes the failure needs.
public struct ReductionSummary: Codable, Sendable {
    public struct Size: Codable, Sendable {
        public var operators: Int
        public var elements: Int
        public var passes: Int
    }

    public var finding: String
    public var before: Size
    public var after: Size
    public var steps: [ReductionStep]
    public var neededPasses: [String]
    /// The operator at the first diverging value of the reduced test (mismatch and nan findings).
    public var firstDivergingOperator: String?
    public var seconds: Double
    /// What was written for an outside compiler's developers (repro.py, bug-report.md), or why not; nil when no
    /// backend of the finding is an outside compiler.
    public var externalNote: String? = nil
}

/// Writes a reduced finding folder: the usual finding files plus `reduction.json` and, when the failing backend is an
/// outside compiler, `repro.py` (that compiler's package, onnx and numpy only) and `bug-report.md`.
public enum ReducedFinding {
    /// The folder is assembled in a staging folder of its own beside `out` and published by `ReductionOutput`, which
    /// refuses an `out` graphsmith did not write; a failure removes the staging folder.
    public static func write(_ reducer: Reducer, original: FindingRecord, originalSize: ReductionSummary.Size,
                             seconds: Double, to out: String, worker: TestWorker) throws -> ReductionSummary {
        let staged = try ReductionOutput.stagingFolder(for: out)
        do {
            let summary = try assemble(reducer, original: original, originalSize: originalSize, seconds: seconds,
                                       out: out, staged: staged, worker: worker)
            try ReductionOutput.publish(staged, to: out)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
    }

    /// Writes every file of the reduced finding into `staged`.
    static func assemble(_ reducer: Reducer, original: FindingRecord, originalSize: ReductionSummary.Size,
                         seconds: Double, out: String, staged: String, worker: TestWorker) throws -> ReductionSummary {
        try Staging.write(model: reducer.model, inputs: reducer.inputs, config: reducer.config, to: staged)
        let final = try worker.run(folder: staged, index: original.test, seed: original.testSeed,
                                   timeout: reducer.config.testTimeout, saveOutputs: true)
        let report = final.verdict.isFinding ? final : (reducer.lastFailure ?? final)
        guard let fingerprint = report.fingerprint else {
            throw CampaignError.io("the reduced test of \(original.id) no longer fails")
        }
        let record = FindingRecord(id: fingerprint.id, fingerprint: fingerprint,
                                   verdict: report.verdict, stage: report.stage, backends: report.backends,
                                   operators: report.operators, message: report.message, test: original.test,
                                   testSeed: original.testSeed, elapsed: original.elapsed, hits: 1,
                                   repro: ShellCommand.replay(out), culpritPass: report.culpritPass)
        try FindingFiles.complete(staged, record: record, config: reducer.config, library: reducer.library)
        var summary = ReductionSummary(
            finding: original.id, before: originalSize,
            after: .init(operators: reducer.model.nodes.count, elements: Subgraph.elements(reducer.model),
                         passes: reducer.neededPasses.count),
            steps: reducer.steps, neededPasses: reducer.neededPasses, firstDivergingOperator: report.operators.first ?? (reducer.model.nodes.count == 1 ? reducer.model.nodes[0].op : nil),
            seconds: seconds)
        summary.externalNote = ExternalRepro.write(reducer, record: record, to: staged)
        try AtomicFile.writeJSON(summary, to: staged + "/reduction.json")
        try AtomicFile.write(markdown(summary, record), to: staged + "/reduction.md")
        return summary
    }

    static func markdown(_ s: ReductionSummary, _ r: FindingRecord) -> String {
        var lines = ["# Reduction of \(s.finding)", "",
                     "| | operators | elements | passes |", "|---|---|---|---|",
                     "| before | \(s.before.operators) | \(s.before.elements) | \(s.before.passes) |",
                     "| after | \(s.after.operators) | \(s.after.elements) | \(s.after.passes) |", "",
                     "- verdict: \(r.verdict.rawValue) at \(r.stage.rawValue) on \(r.backends.joined(separator: ", "))",
                     "- first diverging operator: \(s.firstDivergingOperator ?? "(not localized)")",
                     "- passes the failure needs: \(s.neededPasses.isEmpty ? "none (it fails with every pass off)" : s.neededPasses.joined(separator: ", "))",
                     "- reduced in \(String(format: "%.1f", s.seconds)) s"]
        if let note = s.externalNote { lines.append("- for the compiler's developers: \(note)") }
        lines += ["", "Steps:", ""]
        for st in s.steps {
            lines.append("- \(st.name): \(st.operators) operators, \(st.elements) elements, \(st.candidates) candidates, \(String(format: "%.1f", st.seconds)) s")
        }
        lines += ["", "Reproduce: `\(r.repro)`", ""]
        return lines.joined(separator: "\n")
    }
}
