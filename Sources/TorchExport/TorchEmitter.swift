import Foundation
import ModelIR
import Reference
import SpecLang
import SpecLib
import TensorCore

/// Writes a model as a self-contained PyTorch file, driven by each spec's `torch` lines; no per-operator code.
///
/// The file holds an `nn.Module` whose weights are buffers and whose `forward` is one line per node, the helpers of
/// `torch_prelude.py` (copied in, so the file needs only torch), and a `__main__` that reads `input_K.pb` files and
/// writes `output_K.pb`. Python names are made here (`x0`, `self.w0`, `t0`): a model's own value names appear only
/// as escaped string literals.
public enum TorchEmitter {
    /// The Python source of `model`; `prelude` is the text of `Python/graphsmith_worker/torch_prelude.py`.
    public static func source(_ model: Model, library: SpecLibrary, prelude: String, title: String = "model") throws -> String {
        let instances = try Verifier.verify(model, library: library)
        var names: [String: String] = [:]
        for (k, v) in model.inputs.enumerated() { names[v.name] = "x\(k)" }
        for (k, w) in model.weights.enumerated() { names[w.name] = "self.w\(k)" }
        var body: [String] = []
        var counter = 0
        for (k, (node, instance)) in zip(model.nodes, instances).enumerated() {
            guard let mapping = try instance.torchMapping() else {
                throw TorchError("node \(k): operator '\(node.op)' has no torch mapping")
            }
            let call = try expression(mapping, node, instance, names: names, index: k)
            var targets: [String] = []
            for o in node.outputs {
                names[o.name] = "t\(counter)"
                targets.append("t\(counter)")
                counter += 1
            }
            body.append("        \(targets.joined(separator: ", ")) = \(call)  # \(node.op)")
        }
        var lines = ["# A PyTorch module written by graphsmith from \(sanitizedComment(title)), one line per ONNX-style node.",
                     "# Run: python THIS_FILE [INPUT_DIR [OUTPUT_DIR]] (input_K.pb in, output_K.pb out; needs torch only)."]
        lines += ["", prelude.trimmingCharacters(in: .whitespacesAndNewlines), "", "", "class Model(torch.nn.Module):"]
        lines += ["    def __init__(self):", "        super().__init__()"]
        for (k, w) in model.weights.enumerated() {
            let data = Data(w.value.littleEndianBytes).base64EncodedString()
            lines.append("        self.register_buffer('w\(k)', tensor(\(PythonLiteral.dtype(w.value.dtype)), \(w.value.shape), '\(data)'))")
        }
        let parameters = (["self"] + model.inputs.indices.map { "x\($0)" }).joined(separator: ", ")
        lines += ["", "    def forward(\(parameters)):"] + body
        let results = model.outputs.map { names[$0]! }
        lines.append("        return (\(results.joined(separator: ", "))\(results.count == 1 ? "," : ""))")
        lines += ["", ""]
        lines.append("INPUTS = [\(model.inputs.map { PythonLiteral.string($0.name) }.joined(separator: ", "))]")
        lines.append("OUTPUTS = [\(model.outputs.map(PythonLiteral.string).joined(separator: ", "))]")
        let types = model.valueTypes
        lines.append("OUTPUT_DTYPES = [\(model.outputs.map { PythonLiteral.dtype(types[$0]!.dtype) }.joined(separator: ", "))]")
        lines += ["", "if __name__ == '__main__':", "    main(Model(), INPUTS, OUTPUTS)", ""]
        return lines.joined(separator: "\n")
    }

    /// The mapping's text with every placeholder filled in for this node.
    static func expression(_ mapping: TorchMapping, _ node: Node, _ instance: OpInstance, names: [String: String], index: Int) throws -> String {
        var out = ""
        for piece in mapping.pieces {
            switch piece {
            case .text(let t): out += t
            case .placeholder(let e): out += try fill(e, node, instance, names: names, index: index)
            }
        }
        return out
    }

    private static func fill(_ e: Expr, _ node: Node, _ instance: OpInstance, names: [String: String], index: Int) throws -> String {
        if case .name(let n) = e.kind {
            if instance.spec.inputs.contains(where: { $0.name == n }) {
                // An absent optional input is None.
                guard let p = instance.inputPorts.firstIndex(where: { $0.name == n }) else { return "None" }
                return names[node.inputs[p]]!
            }
            if let d = instance.evaluator.dtypes[n] { return PythonLiteral.dtype(d) }
        }
        do { return PythonLiteral.value(try instance.evaluator.eval(e)) } catch {
            throw TorchError("node \(index) (\(node.op)): cannot evaluate '$(\(e))' of its torch mapping: \(error)")
        }
    }

    /// A comment's text: printable ASCII only.
    static func sanitizedComment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { (" "..."~").contains($0) ? $0 : "?" }))
    }
}

extension OpInstance {
    /// The `torch` line the instance is written by: the first whose `when` holds (nil when the spec has none).
    public func torchMapping() throws -> TorchMapping? {
        for m in spec.file.torchMappings {
            guard let c = m.condition else { return m }
            do { if try evaluator.eval(c).asBool() { return m } } catch {
                throw TorchError("\(name): cannot evaluate the 'when' of a torch mapping: \(error)")
            }
        }
        return nil
    }
}

/// A model graphsmith cannot write as torch code (an operator without a `torch` line): the user's to see.
public struct TorchError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
