import SpecLib

/// A model the verifier accepted, with the operator instance of each node.
///
/// The stages that need instances (the reference, the passes, lowering, export) take a `TypedModel`, so that a model is
/// verified once where it enters a stage instead of again by every function that reads it.
public struct TypedModel: Sendable {
    public let model: Model
    /// The instance of each node, in node order.
    public let instances: [OpInstance]

    /// Verifies `model` against `library`; a `ModelError` says what is wrong.
    public init(_ model: Model, library: SpecLibrary) throws {
        self.model = model
        instances = try Verifier.verify(model, library: library)
    }
}
