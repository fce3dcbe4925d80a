import ModelIR

/// One graph transformation: a named pure function from model to model.
///
/// A pass reads only its input model and the context (the spec library, disabled rules, limits);
/// it has no state, so running it twice on the same model gives the same model, and a failure
/// reproduces with the pass alone.
public struct Pass: Sendable {
    /// Stable name used to disable the pass, dump after it, and report it (`constant-folding`).
    public let name: String
    /// One line saying what the pass does, for `passes list`.
    public let summary: String
    /// The lowest optimization level that runs the pass.
    public let level: OptimizationLevel
    /// The transformation, of a verified model. It must return a valid model with the same inputs, output types and
    /// semantics.
    public let transform: @Sendable (TypedModel, PassContext) throws -> Model

    /// A pass from its name, summary, level and transformation.
    public init(name: String, summary: String, level: OptimizationLevel,
                transform: @escaping @Sendable (TypedModel, PassContext) throws -> Model) {
        self.name = name
        self.summary = summary
        self.level = level
        self.transform = transform
    }

    /// Runs the pass on a verified model.
    public func callAsFunction(_ typed: TypedModel, _ context: PassContext) throws -> Model {
        try transform(typed, context)
    }

    /// Verifies `model` and runs the pass on it.
    public func callAsFunction(_ model: Model, _ context: PassContext) throws -> Model {
        try transform(TypedModel(model, library: context.library), context)
    }
}
