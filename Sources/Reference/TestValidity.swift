import ModelIR
import SpecLib
import TensorCore

/// Whether a model run says anything about a compiler: every value finite, every operator's inputs inside its
/// spec's `domain`, and no integer overflow. Outside a domain an operator's result is undefined (a float cast to an
/// integer out of range, a logarithm of a negative number), and so is an integer result that does not fit its dtype
/// (the reference wraps, runtimes saturate or compute in fewer bits), so a backend that differs there is not wrong.
public enum TestValidity {
    /// Why a run is not a valid test.
    public struct Violation: Sendable, Hashable {
        /// Which value or operator breaks it.
        public var message: String
        /// Whether ONNX leaves the value undefined (outside a domain, an integer overflow), rather than merely not
        /// finite.
        public var undefined: Bool
    }

    /// Nil when the run is a valid test; else which value or operator breaks it.
    public static func violation(_ model: Model, instances: [OpInstance], values: [String: Tensor]) -> String? {
        check(model, instances: instances, values: values)?.message
    }

    /// A stage of `node` outside its spec's stage domain (only operators that declare one evaluate their stages again).
    static func stageDomainViolation(_ node: Node, _ instance: OpInstance, _ values: [String: Tensor]) -> String? {
        guard instance.spec.file.domains.contains(where: { d in instance.stages.contains { $0.target == d.tensor } }) else { return nil }
        let inputs = node.inputs.compactMap { values[$0] }
        guard inputs.count == node.inputs.count else { return nil }
        return (try? OpEvaluation.stageDomainViolation(instance, inputs: inputs)) ?? nil
    }

    /// Nil when the run is a valid test; else the first violation.
    public static func check(_ model: Model, instances: [OpInstance], values: [String: Tensor]) -> Violation? {
        for (node, instance) in zip(model.nodes, instances) {
            for (port, name) in node.inputs.enumerated() {
                guard let t = values[name] else { continue }
                if !DomainInputs.holds(t, port: port, of: instance) {
                    return Violation(message: "\(node.op) input '\(name)' is outside the operator's domain", undefined: true)
                }
            }
            if let why = stageDomainViolation(node, instance, values) { return Violation(message: why, undefined: true) }
            for o in node.outputs where values[o.name]?.isAllFinite == false {
                return Violation(message: "value '\(o.name)' of \(node.op) is not finite", undefined: false)
            }
            if let why = overflow(node, instance, values) { return Violation(message: why, undefined: true) }
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
