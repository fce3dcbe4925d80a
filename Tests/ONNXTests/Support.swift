import ModelIR
import SpecLib
import TensorCore

/// Weights of the spec become initializers with random bits (a bool's are 0 or 1, the only bools); other inputs
/// are graph inputs.
func oneNodeModel(_ instance: OpInstance, _ rng: inout SeededRNG) -> Model {
    var model = Model()
    var names: [String] = []
    for (port, type) in zip(instance.inputPorts, instance.inputTypes) {
        let name = "in_\(port.name)"
        names.append(name)
        if port.role == .weight {
            model.weights.append(Weight(name, Tensor(dtype: type.dtype, shape: type.shape, bits: (0..<type.count).map { _ in type.dtype == .bool ? rng.next() & 1 : rng.next() })))
        } else {
            model.inputs.append(ValueInfo(name, type))
        }
    }
    let outs = instance.outputTypes.enumerated().map { ValueInfo("out_\($0.offset)", $0.element) }
    model.nodes = [Node(op: instance.name, inputs: names, outputs: outs, attributes: instance.attributes)]
    model.outputs = outs.map(\.name)
    return model
}
