import ModelIR
import SpecLib
import TensorCore

/// The built-in demo model of `run --demo`: y = Softmax(Relu(x @ W + b)), with weights from the seed.
///
/// Node output types come from instantiating each op's spec, so the demo stays valid as long as the
/// four specs exist.
enum DemoModel {
    static func make(library: SpecLibrary, seed: UInt64) throws -> Model {
        var rng = SeededRNG(seed: seed).split(0xde30)
        let x = ValueInfo("x", TensorType(.f32, [2, 4]))
        let w = Weight("W", Tensor.random(TensorType(.f32, [4, 3]), using: &rng, low: -1, high: 1))
        let b = Weight("b", Tensor.random(TensorType(.f32, [3]), using: &rng, low: -0.5, high: 0.5))
        var model = Model(inputs: [x], weights: [w, b])
        var types = model.valueTypes
        func add(_ op: String, _ inputs: [String], _ output: String) throws {
            let spec = try library.requireSpec(op)
            let instance = try spec.instantiate(inputs: inputs.map { types[$0]! }, attributes: [:])
            let info = ValueInfo(output, instance.outputTypes[0])
            model.nodes.append(Node(op: op, inputs: inputs, outputs: [info]))
            types[output] = info.type
        }
        try add("MatMul", ["x", "W"], "h")
        try add("Add", ["h", "b"], "a")
        try add("Relu", ["a"], "r")
        try add("Softmax", ["r"], "y")
        model.outputs = ["y"]
        return model
    }
}
