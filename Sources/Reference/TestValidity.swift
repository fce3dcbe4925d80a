import ModelIR
import SpecLib
import TensorCore

/// Whether a model run says anything about a compiler: every value finite, every operator's inputs inside its
/// spec's `domain`, and no integer overflow. Outside a domain an operator's result is undefined (a float cast to an
/// integer out of range, a logarithm of a negative number), and so is an integer result that does not fit its dtype
/// (the reference wraps, runtimes saturate or compute in fewer bits), so a backend that differs there is not wrong.
public enum TestValidity {
    /// Nil when the run is a valid test; else which value or operator breaks it.
    public static func violation(_ model: Model, instances: [OpInstance], values: [String: Tensor]) -> String? {
        for (node, instance) in zip(model.nodes, instances) {
            for (port, name) in node.inputs.enumerated() {
                guard let t = values[name] else { continue }
                if !DomainInputs.holds(t, port: port, of: instance) {
                    return "\(node.op) input '\(name)' is outside the operator's domain"
                }
            }
            for o in node.outputs where values[o.name]?.isAllFinite == false { return "value '\(o.name)' of \(node.op) is not finite" }
            if let why = overflow(node, instance, values) { return why }
        }
        return nil
    }

    /// Whether the node's integer arithmetic overflows on these inputs: the reference evaluates it again, watched
    /// (the values it stores wrap, so they cannot tell).
    static func overflow(_ node: Node, _ instance: OpInstance, _ values: [String: Tensor]) -> String? {
        guard instance.computesIntegers else { return nil }
        let inputs = node.inputs.compactMap { values[$0] }
        guard inputs.count == node.inputs.count,
              let found = try? OpEvaluation.evaluateReportingOverflow(instance, inputs: inputs).overflow else { return nil }
        return "\(node.op) producing '\(node.outputs[0].name)' overflows its integer dtype: \(found)"
    }
}
