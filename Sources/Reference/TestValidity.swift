import ModelIR
import SpecLib
import TensorCore

/// Whether a model run says anything about a compiler: every value finite, and every operator's inputs inside its
/// spec's `domain`. Outside a domain an operator's result is undefined (a float cast to an integer out of range,
/// a logarithm of a negative number), so a backend that differs there is not wrong.
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
        }
        return nil
    }
}
