import TensorCore

/// What the generator asks of one operator: some inputs (or an output) already fixed, the rest to be chosen.
public struct SolverRequest: Sendable {
    /// Input and weight types that are given, by position among the spec's inputs.
    public var fixedInputs: [Int: TensorType] = [:]
    /// The output (by position) whose type is given, for backward insertion.
    public var fixedOutput: (index: Int, type: TensorType)?
    /// Attributes whose value is given (the search does not change them).
    public var fixedAttributes: [String: AttributeValue] = [:]
    /// The dtypes free type variables may take (empty: any the spec allows).
    public var allowedDTypes: Set<DType> = []
    /// Largest number of elements of any tensor the instance has.
    public var maxElements = 65_536
    /// Largest rank of any tensor the instance has.
    public var maxRank = 5
    /// Largest dim drawn for a free symbol.
    public var maxDim = 32
    /// Random attempts before giving up.
    public var attempts = 24
    /// When set, only instances it accepts are returned: the kernels a target runtime is known to have
    /// (by dtype signature, `KernelSignature.of`, and attribute form).
    public var kernelFilter: (@Sendable (OpInstance) -> Bool)?
    /// When set, instances whose `cost` is over `limit` are not returned: the generator keeps each operator's work on
    /// the reference bounded, so a model of cheap shapes cannot hold one operator that runs for seconds.
    public var workLimit: (limit: Int, cost: @Sendable (OpInstance) -> Int)?

    public init() {}
}
