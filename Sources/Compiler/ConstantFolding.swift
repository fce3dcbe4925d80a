import ModelIR
import Reference
import SpecLib
import TensorCore

/// Evaluates every node whose inputs are all weights with the reference evaluator, and replaces it by weights
/// holding its outputs (under the same names, so nothing downstream changes).
///
/// Folding follows node order, so a chain of constant nodes folds in one run. Nodes whose outputs would hold
/// more than `PassContext.foldElementLimit` elements stay, and so do nodes whose evaluation fails: the failure
/// then happens at run time as it would have without folding.
public enum ConstantFolding {
    /// The pass (O1).
    public static let pass = make()

    /// The pass, folding with the reference's arithmetic except where `arithmetic` answers (a faulty variant's).
    static func make(arithmetic: (@Sendable (String, Scalar, Scalar) -> Scalar?)? = nil) -> Pass {
        Pass(name: "constant-folding", summary: "evaluate nodes whose inputs are all weights and replace them by weights (size-limited)",
             level: .O1) { typed, context in run(typed, context, arithmetic) }
    }

    static func run(_ typed: TypedModel, _ context: PassContext, _ arithmetic: (@Sendable (String, Scalar, Scalar) -> Scalar?)?) -> Model {
        let model = typed.model, instances = typed.instances
        var constants: [String: Weight] = Dictionary(model.weights.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var m = model
        m.nodes = []
        for (node, instance) in zip(model.nodes, instances) {
            let size = instance.outputTypes.reduce(0) { $0 + $1.count }
            guard size <= context.foldElementLimit, node.inputs.allSatisfy({ constants[$0] != nil }),
                  let values = try? OpEvaluation.evaluate(instance, inputs: node.inputs.map { constants[$0]!.value },
                                                          binaryOverride: arithmetic)
            else {
                m.nodes.append(node)
                continue
            }
            for (info, value) in zip(node.outputs, values) {
                let w = Weight(info.name, value)
                constants[info.name] = w
                m.weights.append(w)
            }
        }
        return m
    }
}
