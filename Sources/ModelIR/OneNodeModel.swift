import SpecLib
import TensorCore

/// The one-node model of an operator instance: what `specs test` checks and the kernel probe runs.
public enum OneNodeModel {
    /// The model and its runtime inputs: spec inputs become model inputs, spec weights model weights, each with
    /// its value from `values` (one tensor per input the node has, `instance.inputPorts`).
    public static func make(_ instance: OpInstance, _ values: [Tensor]) -> (Model, [String: Tensor]) {
        var model = Model()
        var inputs: [String: Tensor] = [:]
        for (port, value) in zip(instance.inputPorts, values) {
            if port.role == .weight {
                model.weights.append(Weight(port.name, value))
            } else {
                model.inputs.append(ValueInfo(port.name, value.type))
                inputs[port.name] = value
            }
        }
        let outputs = zip(instance.spec.outputs, instance.outputTypes).map { ValueInfo($0.name, $1) }
        model.nodes = [Node(op: instance.name, inputs: instance.inputPorts.map(\.name), outputs: outputs,
                            attributes: instance.attributes)]
        model.outputs = outputs.map(\.name)
        return (model, inputs)
    }
}
