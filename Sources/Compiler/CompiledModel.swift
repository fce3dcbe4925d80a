import ModelIR

/// The result of the graph pipeline: the optimized model and what the later stages need to know about it.
public struct CompiledModel: Hashable, Sendable {
    /// The optimized model, verified: same inputs and output types as the source, output names possibly aliased.
    public var typed: TypedModel
    /// How the nodes of the model are grouped into fused kernels (one group per node when fusion did not run).
    public var fusion: FusionGroups
    /// Names of the passes that ran, in order (a pass can run more than once).
    public var passesRun: [String]
    /// The level the pipeline ran at.
    public var level: OptimizationLevel

    /// Bundles a pipeline result.
    public init(typed: TypedModel, fusion: FusionGroups, passesRun: [String], level: OptimizationLevel) {
        self.typed = typed
        self.fusion = fusion
        self.passesRun = passesRun
        self.level = level
    }

    /// The optimized model.
    public var model: Model { typed.model }

    /// Equal when the models, groupings, passes and levels are (the instances follow from the model).
    public static func == (a: CompiledModel, b: CompiledModel) -> Bool {
        a.model == b.model && a.fusion == b.fusion && a.passesRun == b.passesRun && a.level == b.level
    }

    public func hash(into h: inout Hasher) {
        h.combine(model)
        h.combine(fusion)
        h.combine(passesRun)
        h.combine(level)
    }
}
