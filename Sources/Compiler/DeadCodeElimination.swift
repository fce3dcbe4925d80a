import ModelIR

/// Removes nodes none of whose outputs reach a model output, and weights nothing reads.
///
/// Model inputs stay even when unused: they are the model's interface, and callers pass them.
public enum DeadCodeElimination {
    /// The pass (O1).
    public static let pass = Pass(
        name: "dead-code-elimination",
        summary: "remove nodes whose outputs reach no model output, and unused weights",
        level: .O1
    ) { typed, _ in run(typed.model) }

    static func run(_ model: Model) -> Model {
        var live = Set(model.outputs)
        var keep = Array(repeating: false, count: model.nodes.count)
        // Nodes are in topological order, so one backward sweep sees every consumer before its producers.
        for k in model.nodes.indices.reversed() where model.nodes[k].outputs.contains(where: { live.contains($0.name) }) {
            keep[k] = true
            live.formUnion(model.nodes[k].inputs)
        }
        var m = model
        m.nodes = model.nodes.indices.filter { keep[$0] }.map { model.nodes[$0] }
        m.weights = model.weights.filter { live.contains($0.name) }
        return m
    }
}
