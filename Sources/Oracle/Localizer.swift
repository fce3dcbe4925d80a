import Backends
import ModelIR
import TensorCore

/// Finds the first value at which a backend departs from the reference.
///
/// A backend reports only model outputs, so the localizer cuts the model at each node in turn (the node and its
/// ancestors, with the node's outputs as the model outputs) and runs the backend on that prefix, in topological
/// order, until a prefix disagrees. The operator of that node is what a finding is filed under. Cutting the model
/// changes what the compiler sees (a fusion across the cut cannot happen), so when no prefix disagrees the node that
/// produced the diverging output is used instead.
public struct Localizer: Sendable {
    public let oracle: Oracle

    public init(oracle: Oracle) { self.oracle = oracle }

    /// The index of the first diverging node for a failing `run` of `backend` on `model`.
    public func firstDivergence(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor],
                                reference: [String: Tensor], failingOutput: Int?) -> Int? {
        divergence(backend, name: name, model: model, inputs: inputs, reference: reference, failingOutput: failingOutput)?.node
    }

    /// The first diverging node and, when a prefix was seen to disagree, the backend's outputs of that node.
    public func divergence(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor],
                           reference: [String: Tensor], failingOutput: Int?) -> (node: Int, outputs: [Tensor]?)? {
        let producer = Self.producers(model)
        let target = failingOutput.flatMap { producer[model.outputs[$0]] }
        let candidates = target.map { Self.ancestors(of: $0, in: model, producer: producer).sorted() } ?? Array(model.nodes.indices)
        for i in candidates {
            let prefix = Self.prefix(model, through: i, producer: producer)
            let expected = prefix.outputs.map { reference[$0]! }
            let run = oracle.run(backend, name: name, model: prefix, inputs: Self.used(prefix, inputs), expected: expected)
            if run.verdict != .pass { return (i, run.outputs) }
        }
        return target.map { ($0, nil) }
    }

    /// The values of `model`'s inputs among `inputs`.
    static func used(_ model: Model, _ inputs: [String: Tensor]) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: model.inputs.map { ($0.name, inputs[$0.name]!) })
    }

    /// Node index producing each value.
    static func producers(_ model: Model) -> [String: Int] {
        var p: [String: Int] = [:]
        for (i, n) in model.nodes.enumerated() { for o in n.outputs { p[o.name] = i } }
        return p
    }

    /// Node `i` and every node it depends on.
    static func ancestors(of i: Int, in model: Model, producer: [String: Int]) -> Set<Int> {
        var seen: Set<Int> = [i]
        var stack = [i]
        while let n = stack.popLast() {
            for input in model.nodes[n].inputs {
                if let p = producer[input], seen.insert(p).inserted { stack.append(p) }
            }
        }
        return seen
    }

    /// The sub-model computing node `i`'s outputs: its ancestors, the inputs and weights they read.
    public static func prefix(_ model: Model, through i: Int, producer: [String: Int]? = nil) -> Model {
        prefix(model, computing: model.nodes[i].outputs.map(\.name), producer: producer ?? producers(model))
    }

    /// The sub-model computing the named node outputs, as its outputs: their producers' ancestors, the inputs
    /// and weights those read.
    static func prefix(_ model: Model, computing values: [String], producer: [String: Int]) -> Model {
        let keep = values.reduce(into: Set<Int>()) { $0.formUnion(ancestors(of: producer[$1]!, in: model, producer: producer)) }
        let nodes = model.nodes.indices.filter { keep.contains($0) }.map { model.nodes[$0] }
        let read = Set(nodes.flatMap(\.inputs))
        return Model(inputs: model.inputs.filter { read.contains($0.name) },
                     weights: model.weights.filter { read.contains($0.name) },
                     nodes: nodes, outputs: values)
    }
}
