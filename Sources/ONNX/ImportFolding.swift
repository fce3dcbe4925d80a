import ModelIR
import Reference
import SpecLang
import SpecLib
import TensorCore

/// Import-time constant folding: a node whose result import can compute becomes a constant, so the shape
/// arithmetic exporters write (`Shape` → `Gather` → `Concat` → `Reshape`) disappears and computed operands become
/// the attributes the specs map them to.
///
/// A node with a spec is evaluated with the reference interpreter (its meaning comes from the spec) when every input
/// its stages and computes read holds a value that is the same in every run: an initializer, a `Constant`, or an
/// earlier folded value. Inputs it reads only the shape of (all shapes are static) need no value. Then:
/// - when it reads at least one such value it becomes a weight, one per output, and the node is gone;
/// - when it reads none (its result comes from shapes and attributes only, like a `Shape` spec's), the node stays,
///   its outputs carry their values for later nodes to fold or inline, and `finish` drops it if nothing reads it
///   at run time, so the one-node models graphsmith exports still import back as they were.
/// A node that reads a known graph input's value (`Importer.read`'s `knownInputs`, which hold only for the runs
/// they came from) is evaluated too, so its results can stand where a constant is needed, but it stays a node and
/// its results fold nothing.
///
/// What stays a weight and what is inlined: a folded value read where a spec maps a `const` operand (Reshape's
/// shape, Clip's bounds, Slice's starts) becomes that attribute; one read as a tensor input, or a graph output,
/// stays a weight (an initializer on export); one nothing reads vanishes.
enum ImportFolding {
    /// The most output elements a node may have and still be folded, and the most scalar operations the reference
    /// may spend on it: a larger one is left as a node (import stays fast on a model with big weights).
    static let maxFoldedElements = 1 << 20
    static let maxFoldedOperations = 1 << 26

    /// The operator types import may fold without a spec (see `ShapeFolding`), and `Constant`.
    static let withoutSpec: Set<String> = Set(["Constant"]).union(ShapeFolding.opTypes)

    /// The inputs (by spec position) that the spec's stages and computes read element by element.
    static func readPorts(_ spec: OpSpec) -> [Bool] {
        var read: Set<String> = []
        for def in spec.file.stages + spec.file.computes { collectReads(def.body, into: &read) }
        return spec.inputs.map { read.contains($0.name) }
    }

    private static func collectReads(_ e: Expr, into out: inout Set<String>) {
        switch e.kind {
        case .integer, .real, .string, .name: return
        case .unary(_, let a): collectReads(a, into: &out)
        case .binary(_, let a, let b):
            collectReads(a, into: &out)
            collectReads(b, into: &out)
        case .conditional(let c, let a, let b): for x in [c, a, b] { collectReads(x, into: &out) }
        case .call(_, let args), .vector(let args): for x in args { collectReads(x, into: &out) }
        case .read(let t, let items, let d):
            out.insert(t)
            for i in items { collectReads(i.expr, into: &out) }
            if let d { collectReads(d, into: &out) }
        case .reduce(_, let binders, let body):
            for b in binders { collectReads(b.bound, into: &out) }
            collectReads(body, into: &out)
        }
    }

    /// The node's outputs when import can compute them (nil: leave the node to run), whether it read a value, and
    /// whether every value it read holds in every run. `ports` are the node's inputs in spec order.
    static func evaluate(_ instance: OpInstance, ports: [ImportedValue]) -> (outputs: [Tensor], readValue: Bool, foldable: Bool)? {
        // When the node has fewer inputs than the spec declares (optional ones left out), which port is which is
        // not known here: every input then counts as read, so no value is ever taken for one that is not.
        let reads = ports.count == instance.spec.inputs.count ? readPorts(instance.spec) : Array(repeating: true, count: ports.count)
        var tensors: [Tensor] = []
        for (value, isRead) in zip(ports, reads) {
            if !isRead { tensors.append(Tensor.zeros(value.type)); continue }
            guard let c = value.constant else { return nil }
            tensors.append(c)
        }
        let foldable = zip(ports, reads).allSatisfy { !$1 || $0.foldable }
        guard instance.outputTypes.reduce(0, { $0 + $1.shape.reduce(1, *) }) <= maxFoldedElements,
              WorkEstimate.node(instance).operations <= maxFoldedOperations,
              let run = try? OpEvaluation.evaluateReportingOverflow(instance, inputs: tensors),
              run.overflow == nil  // an overflowing integer result is undefined in ONNX: leave it to the runtime
        else { return nil }
        return (run.outputs, reads.contains(true), foldable)
    }

    /// Why input `k` cannot stand where a constant is needed: its value is only known at run time, so a shape or
    /// attribute would depend on it (graphsmith needs static shapes).
    static func notConstant(_ k: Int, _ v: ImportedValue) -> String {
        let source = v.producer.map { "computed at run time by \($0)" } ?? "graph input '\(v.name)', known only at run time"
        return "input \(k) must be a constant (an initializer, a Constant or a value import can fold), but it is \(source); "
            + "graphsmith needs static shapes and constant operands"
    }

    /// The nodes that stay: every node but those whose outputs are all in `removable` and read by no kept node
    /// and no graph output.
    static func liveNodes(_ nodes: [Node], outputs: [String], removable: Set<String>) -> [Node] {
        var used = Set(outputs)
        var kept: [Node] = []
        for node in nodes.reversed() {
            let names = node.outputs.map(\.name)
            if names.allSatisfy({ removable.contains($0) && !used.contains($0) }) { continue }
            used.formUnion(node.inputs)
            kept.append(node)
        }
        return kept.reversed()
    }
}

extension ImportBuilder {
    /// Folds a matched node when `ImportFolding` can compute it; returns whether the node needs no more work.
    mutating func fold(_ matched: (inputs: [String], attributes: [String: AttributeValue], instance: OpInstance),
                       inputValues: [ImportedValue?], outputs: [String], label: String) throws -> Bool {
        var byName: [String: ImportedValue] = [:]
        for case let v? in inputValues { byName[v.name] = v }
        let ports = matched.inputs.compactMap { byName[$0] }
        guard ports.count == matched.inputs.count, outputs.count <= matched.instance.outputTypes.count,  // else `add` refuses it
              let (results, readValue, foldable) = ImportFolding.evaluate(matched.instance, ports: ports) else { return false }
        if readValue && foldable {
            for (k, tensor) in results.enumerated() where k < outputs.count && !outputs[k].isEmpty {
                addConstant(tensor, onnxName: outputs[k])
            }
            return true
        }
        try add(matched, spec: matched.instance.spec, outputs: outputs, label: label)
        for (k, tensor) in results.enumerated() where k < outputs.count && !outputs[k].isEmpty {
            values[outputs[k]]?.constant = tensor
            values[outputs[k]]?.foldable = foldable
        }
        evaluatedOutputs.formUnion(model.nodes.last?.outputs.map(\.name) ?? [])
        return true
    }

    /// A value import computed, held as a weight under the ONNX name (dropped by `finish` when unused).
    mutating func addConstant(_ tensor: Tensor, onnxName: String, foldable: Bool = true) {
        let name = sanitize(onnxName)
        model.weights.append(Weight(name, tensor))
        values[onnxName] = ImportedValue(name: name, type: tensor.type, constant: tensor, foldable: foldable)
    }
}

extension Importer {
    /// Operator types import reads with no spec, by folding them into constants (`Constant`, and the shape
    /// operators while no spec maps them).
    public static var foldedWithoutSpec: Set<String> { ImportFolding.withoutSpec }
}
