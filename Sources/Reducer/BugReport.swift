import Campaign
import Foundation
import ModelIR
import TensorCore
import Backends

/// `bug-report.md` of a reduced finding on an outside compiler: what a compiler's issue tracker wants to read, with
/// the minimal model as a table, its inputs, expected against actual, and the command that reproduces it.
public struct BugReport: Sendable {
    /// The reduced model and its inputs by name.
    public var model: Model
    public var inputs: [String: Tensor]
    public var record: FindingRecord
    /// The failing outside compiler (a backend name).
    public var backend: String
    /// As the worker host reports them: `backend` (the adapter's version string), `python`, `onnx`, `numpy`.
    public var versions: [String: String]
    /// The reference outputs, and the compiler's outputs when it produced any, in model output order.
    public var expected: [Tensor]
    public var actual: [Tensor]?
    /// Why repro.py is missing, when it is.
    public var reproProblem: String?
    /// What the backend ran: ONNX (model.onnx) or the torch module (model.py).
    public var format: ExternalBackend.Adapter.Format

    /// Inputs with at most this many elements are written out in full.
    static let inlineLimit = 16
    /// Differing elements listed per output.
    static let differencesShown = 8

    public init(model: Model, inputs: [String: Tensor], record: FindingRecord, backend: String,
                versions: [String: String], expected: [Tensor], actual: [Tensor]?, reproProblem: String? = nil,
                format: ExternalBackend.Adapter.Format = .onnx) {
        self.model = model
        self.inputs = inputs
        self.record = record
        self.backend = backend
        self.versions = versions
        self.expected = expected
        self.actual = actual
        self.reproProblem = reproProblem
        self.format = format
    }

    /// `[backend] wrong result in Add(f32[2, 3], f32[2, 3])`, or crash, internal error, hang.
    public var title: String {
        let what: String
        switch record.verdict {
        case .mismatch, .nan: what = "wrong result"
        case .hang: what = "hang"
        // A dead worker process is a crash; an exception the compiler raised is an internal error.
        default: what = record.message.contains("\(backend) worker ") ? "crash" : "internal error"
        }
        return "[\(backend)] \(what) in \(culprit)"
    }

    /// The operator the failure points at, with its input types.
    var culprit: String {
        let op = record.operators.first ?? model.nodes.first?.op ?? "the model"
        guard let node = model.nodes.first(where: { $0.op == op }) else { return op }
        let types = model.valueTypes
        return "\(op)(\(node.inputs.map { types[$0].map(String.init(describing:)) ?? "?" }.joined(separator: ", ")))"
    }

    /// The whole report.
    public func markdown() -> String {
        var lines = ["# \(title)", ""]
        lines += versionLines() + [""]
        if format == .torch {
            lines += ["## Model", "", "attached: model.py, the \(plural(model.nodes.count, "node")) as a torch module (repro.py holds it too); "
                      + "model.txt is graphsmith's text form. Its forward:", ""]
            lines += ["```python"] + forwardLines() + ["```", ""]
        } else {
            lines += ["## Model", "", "attached: model.onnx (\(plural(model.nodes.count, "node")); model.txt is graphsmith's text form)", ""]
            lines += nodeTable() + [""]
        }
        lines += ["## Inputs", ""] + inputLines() + [""]
        lines += outcomeLines() + [""]
        lines += ["## Reproduce", ""]
        if let why = reproProblem {
            lines += ["repro.py could not be written (\(why)); rerun with graphsmith: `\(record.repro)`"]
        } else {
            let needs = format == .torch ? "torch and numpy" : "the compiler's Python package, onnx and numpy"
            lines += ["```", "python repro.py", "```", "",
                      "It needs only \(needs); exit code 1 means the bug reproduces, 0 that it is fixed."]
        }
        lines += ["", "Found by graphsmith (finding \(record.id), \(record.verdict.rawValue) at \(record.stage.rawValue)).", ""]
        return lines.joined(separator: "\n")
    }

    /// The text of the attached model.py (torch findings), whose `forward` the report shows.
    public var forwardText: String?

    func forwardLines() -> [String] {
        guard let text = forwardText else { return ["# see model.py"] }
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("def forward(") }) else { return ["# see model.py"] }
        return Array(lines[start...].prefix { !$0.isEmpty })
    }

    func versionLines() -> [String] {
        let known = [("backend", format == .torch ? "\(backend) (torch)" : backend), ("python", "Python"), ("onnx", "onnx"), ("numpy", "numpy")]
            .filter { format != .torch || $0.0 != "onnx" }
        let rows = known.compactMap { key, label in versions[key].map { "- \(label): \($0)" } }
        return rows.isEmpty ? ["- versions: unknown (the worker host could not run)"] : rows
    }

    func nodeTable() -> [String] {
        let types = model.valueTypes
        func typed(_ name: String) -> String { "`\(name)`: \(types[name].map(String.init(describing:)) ?? "?")" }
        var rows = ["| # | op | inputs | outputs | attributes |", "|---|---|---|---|---|"]
        for (k, node) in model.nodes.enumerated() {
            let attributes = node.attributes.keys.sorted().map { "\($0)=\(node.attributes[$0]!)" }.joined(separator: ", ")
            rows.append("| \(k) | \(node.op) | \(node.inputs.map(typed).joined(separator: "<br>")) | "
                        + "\(node.outputs.map { typed($0.name) }.joined(separator: "<br>")) | \(attributes.isEmpty ? "–" : cell(attributes)) |")
        }
        if !model.weights.isEmpty {
            rows += ["", "Weights (initializers in model.onnx): " + model.weights.map { "`\($0.name)` \($0.value.type)" }.joined(separator: ", ")]
        }
        return rows
    }

    func inputLines() -> [String] {
        model.inputs.enumerated().map { k, info in
            guard let t = inputs[info.name], t.count <= Self.inlineLimit else {
                return "- `\(info.name)`: \(info.type), in inputs/\(Staging.fileName(info.name)).pb"
            }
            return "- `\(info.name)`: \(info.type) = \(values(t))"
        }
    }

    func outcomeLines() -> [String] {
        guard record.verdict == .mismatch || record.verdict == .nan, let actual else {
            return ["## Error", "", "At \(record.stage.rawValue):", "", "```", record.message, "```"]
        }
        var lines = ["## Expected (reference) vs actual (\(backend))", ""]
        for (k, want) in expected.enumerated() {
            let name = k < model.outputs.count ? model.outputs[k] : "output \(k)"
            guard k < actual.count else { lines.append("- `\(name)`: missing from \(backend)'s outputs"); continue }
            let got = actual[k]
            guard got.type == want.type else {
                lines.append("- `\(name)`: expected \(want.type), got \(got.type)")
                continue
            }
            let report = Compare.allClose(actual: got, expected: want, tolerance: .default(for: want.dtype))
            guard !report.passed else { lines.append("- `\(name)` \(want.type): matches"); continue }
            lines += ["- `\(name)` \(want.type): \(report.mismatches) of \(report.count) elements differ", "",
                      "  | index | expected | actual |", "  |---|---|---|"]
            for i in differing(got, want).prefix(Self.differencesShown) {
                lines.append("  | \(i) | \(element(want, i)) | \(element(got, i)) |")
            }
            lines.append("")
        }
        return lines
    }

    /// Flat indices where the tensors differ beyond the default tolerance, in order.
    func differing(_ actual: Tensor, _ expected: Tensor) -> [Int] {
        let tol = Tolerance.default(for: expected.dtype)
        return (0..<expected.count).filter { i in
            expected.dtype.isFloat ? !tol.accepts(actual.double(at: i), expected.double(at: i)) : actual.bits[i] != expected.bits[i]
        }
    }

    func values(_ t: Tensor) -> String {
        let flat = (0..<t.count).map { element(t, $0) }.joined(separator: ", ")
        return t.shape.isEmpty ? flat : "[\(flat)]"
    }

    /// Element `i` as its own type prints it: narrow floats by their shortest text (0.4, not 0.4000000059604645).
    func element(_ t: Tensor, _ i: Int) -> String {
        t.dtype.isFloat && t.dtype != .f64 ? "\(Float(t.double(at: i)))" : "\(t.scalar(at: i))"
    }

    /// Pipes would end the table cell.
    func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
