import ModelIR

/// Operator fusion grouping: orders the nodes so every fusion group is contiguous, ending at its root.
///
/// The model's semantics do not change (only the order, still topological); the groups themselves are
/// `FusionGroups.plan` of the result and are recorded in `CompiledModel.fusion`.
public enum OperatorFusion {
    /// The pass (O3).
    public static let pass = Pass(
        name: "operator-fusion",
        summary: "group element-wise/injective chains (and reduction epilogues) over single-consumer edges into kernels",
        level: .O3
    ) { typed, context in run(typed, context) }

    static func run(_ typed: TypedModel, _ context: PassContext) -> Model {
        let model = typed.model
        let plan = FusionGroups.plan(typed, rule: context.fusionRule)
        var groupOf: [Int: FusionGroups.Group] = [:]
        for g in plan.groups { for k in g.nodes { groupOf[k] = g } }
        // A member other than the root is read only inside its group, so emitting the whole group at its root's
        // place keeps every value defined before use.
        var m = model
        m.nodes = []
        for k in model.nodes.indices where groupOf[k]!.root == k {
            m.nodes += groupOf[k]!.nodes.map { model.nodes[$0] }
        }
        return m
    }
}
