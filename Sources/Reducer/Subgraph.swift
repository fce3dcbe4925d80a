import Campaign
import ModelIR
import TensorCore

/// A model cut down to some of its nodes, still valid: what the kept nodes read from removed ones becomes new model
/// inputs, fed with the values the reference computed for them (finite, since the original test's values were).
/// A cut value that was a constant of the original model (computed from weights only) becomes a weight instead, so
/// a bug of constant folding still sees a constant.
public struct Subgraph: Sendable {
    public var model: Model
    public var inputs: [String: Tensor]

    /// Keeps the nodes at `keep` (indices into `model.nodes`); `values` holds every value of the original model on
    /// the reference. The outputs are the kept values that no kept node reads, so nothing kept is dead.
    public init(_ original: Model, keep: Set<Int>, values: [String: Tensor]) {
        let nodes = original.nodes.indices.filter { keep.contains($0) }.map { original.nodes[$0] }
        let produced = Set(nodes.flatMap { $0.outputs.map(\.name) })
        let read = Set(nodes.flatMap(\.inputs))
        let constants = Self.constants(original)
        var weights = original.weights.filter { read.contains($0.name) }
        var weightNames = Set(weights.map(\.name))
        for n in original.nodes where !nodes.contains(n) {
            for o in n.outputs where read.contains(o.name) && constants.contains(o.name) && !weightNames.contains(o.name) {
                weights.append(Weight(o.name, values[o.name]!))
                weightNames.insert(o.name)
            }
        }
        let types = original.valueTypes
        var inputInfos: [ValueInfo] = []
        var seen: Set<String> = []
        for n in nodes {
            for name in n.inputs where !produced.contains(name) && !weightNames.contains(name) && seen.insert(name).inserted {
                inputInfos.append(ValueInfo(name, types[name]!))
            }
        }
        let outputs = nodes.flatMap { $0.outputs.map(\.name) }.filter { !read.contains($0) }
        model = Model(inputs: inputInfos, weights: weights, nodes: nodes, outputs: outputs)
        inputs = Dictionary(uniqueKeysWithValues: inputInfos.map { ($0.name, values[$0.name]!) })
    }

    /// The values computed from weights only (the weights included).
    static func constants(_ model: Model) -> Set<String> {
        var c = Set(model.weights.map(\.name))
        for n in model.nodes where n.inputs.allSatisfy(c.contains) { for o in n.outputs { c.insert(o.name) } }
        return c
    }

    /// Elements of every tensor of a model (inputs, weights, node outputs): the size the reducer reports.
    public static func elements(_ model: Model) -> Int {
        model.valueTypes.values.reduce(0) { $0 + $1.count }
    }
}
