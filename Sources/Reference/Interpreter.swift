import ModelIR
import SpecLib
import TensorCore

/// Runs whole models on the reference semantics, node by node.
public enum Interpreter {
    /// Verifies and runs `model`; returns every value by name (inputs, weights and node outputs).
    public static func run(_ model: Model, library: SpecLibrary, inputs: [String: Tensor]) throws -> [String: Tensor] {
        let typed: TypedModel
        do { typed = try TypedModel(model, library: library) } catch let e as ModelError { throw ReferenceError(e.message) }
        return try run(typed, inputs: inputs)
    }

    /// Runs a verified model; returns every value by name (inputs, weights and node outputs). `afterNode` is told the
    /// index of each node once it has run (for progress on long runs).
    public static func run(_ typed: TypedModel, inputs: [String: Tensor],
                           afterNode: ((Int) -> Void)? = nil) throws -> [String: Tensor] {
        let model = typed.model
        var values: [String: Tensor] = [:]
        for info in model.inputs {
            guard let t = inputs[info.name] else { throw ReferenceError("no value given for input '\(info.name)'") }
            guard t.type == info.type else { throw ReferenceError("input '\(info.name)' is \(t.type), the model needs \(info.type)") }
            values[info.name] = t
        }
        for w in model.weights { values[w.name] = w.value }
        for (k, (node, instance)) in zip(model.nodes, typed.instances).enumerated() {
            let outs = try OpEvaluation.evaluate(instance, inputs: node.inputs.map { values[$0]! })
            for (info, t) in zip(node.outputs, outs) { values[info.name] = t }
            afterNode?(k)
        }
        return values
    }

    /// The model's outputs only, in output order.
    public static func outputs(_ model: Model, library: SpecLibrary, inputs: [String: Tensor]) throws -> [Tensor] {
        let values = try run(model, library: library, inputs: inputs)
        return model.outputs.map { values[$0]! }
    }

    /// A verified model's outputs only, in output order; `afterNode` as for `run`.
    public static func outputs(_ typed: TypedModel, inputs: [String: Tensor], afterNode: ((Int) -> Void)? = nil) throws -> [Tensor] {
        let values = try run(typed, inputs: inputs, afterNode: afterNode)
        return typed.model.outputs.map { values[$0]! }
    }
}
