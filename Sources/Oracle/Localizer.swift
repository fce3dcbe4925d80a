import Backends
import ModelIR
import TensorCore

/// Finds the first value at which a backend departs from the reference.
///
/// A backend reports only model outputs, so the localizer cuts the model after each node in turn and runs the
/// backend on that prefix, in topological order, until a prefix disagrees. The operator of that node is what a
/// finding is filed under. A prefix keeps every node before the cut and every value of them the rest of the model
/// reads, as extra outputs: the bug may need a node that is not an ancestor of the wrong one (two nodes that a
/// faulty CSE merges, a value with a second reader that a faulty fusion forgets), and a prefix of ancestors only
/// would leave it dead and pass, so that a downstream operator got the blame. Cutting the model still changes what
/// the compiler sees (a fusion across the cut cannot happen), so when no prefix disagrees the node that produced the
/// diverging output is used instead.
public struct Localizer: Sendable {
    public let oracle: Oracle

    public init(oracle: Oracle) { self.oracle = oracle }

    /// The index of the first diverging node for a failing `run` of `backend` on `model`.
    public func firstDivergence(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor],
                                reference: [String: Tensor], failingOutput: Int?) -> Int? {
        divergence(backend, name: name, model: model, inputs: inputs, reference: reference, failingOutput: failingOutput)?.node
    }

    /// The first diverging node and, when a prefix was seen to disagree on that node's own outputs, the backend's
    /// outputs of that node.
    public func divergence(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor],
                           reference: [String: Tensor], failingOutput: Int?) -> (node: Int, outputs: [Tensor]?)? {
        let producer = Self.producers(model)
        let target = failingOutput.flatMap { producer[model.outputs[$0]] }
        for i in 0...(target ?? model.nodes.count - 1) where i < model.nodes.count {
            let prefix = Self.livePrefix(model, through: i)
            let expected = prefix.outputs.map { reference[$0]! }
            let run = oracle.run(backend, name: name, model: prefix, inputs: Self.used(prefix, inputs), expected: expected)
            guard run.verdict != .pass else { continue }
            let own = model.nodes[i].outputs.count
            // A value of an earlier node went wrong only with node i present: that node is the wrong one.
            if let k = run.divergingOutput, k >= own, let p = producer[prefix.outputs[k]] { return (p, nil) }
            return (i, run.outputs.map { Array($0.prefix(own)) })
        }
        return target.map { ($0, nil) }
    }

    /// Nodes `0 ... i` of `model` (in its topological order) with node `i`'s outputs first, then every other value
    /// of those nodes that a later node or the model's outputs read.
    static func livePrefix(_ model: Model, through i: Int) -> Model {
        let nodes = Array(model.nodes[0...i])
        let later = Set(model.nodes[(i + 1)...].flatMap(\.inputs)).union(model.outputs)
        let own = nodes[i].outputs.map(\.name)
        let live = nodes.dropLast().flatMap { $0.outputs.map(\.name) }.filter { later.contains($0) && !own.contains($0) }
        let read = Set(nodes.flatMap(\.inputs))
        return Model(inputs: model.inputs.filter { read.contains($0.name) }, weights: model.weights.filter { read.contains($0.name) },
                     nodes: nodes, outputs: own + live)
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
