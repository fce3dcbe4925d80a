import ModelIR

/// The result of the graph pipeline: the optimized model and what the later stages need to know about it.
public struct CompiledModel: Hashable, Sendable {
    /// The optimized model: same inputs and output types as the source, output names possibly aliased.
    public var model: Model
    /// How the nodes of `model` are grouped into fused kernels (one group per node when fusion did not run).
    public var fusion: FusionGroups
    /// Names of the passes that ran, in order (a pass can run more than once).
    public var passesRun: [String]
    /// The level the pipeline ran at.
    public var level: OptimizationLevel

    /// Bundles a pipeline result.
    public init(model: Model, fusion: FusionGroups, passesRun: [String], level: OptimizationLevel) {
        self.model = model
        self.fusion = fusion
        self.passesRun = passesRun
        self.level = level
    }
}
