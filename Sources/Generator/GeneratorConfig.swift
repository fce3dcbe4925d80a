import Reference
import SpecLib
import TensorCore

/// What to generate: size, limits and filters. A model is a function of (seed, configuration, specs).
public struct GeneratorConfig: Sendable, Hashable {
    /// Operators per model.
    public var nodes = 10
    /// Largest number of elements of any tensor.
    public var maxElements = 65_536
    /// Largest rank of any tensor (ranks run from 0).
    public var maxRank = 5
    /// Largest estimated work of one operator on the reference (`WorkEstimate`, scalar operations). A release build
    /// evaluates about 10^7 a second, so 2^21 keeps every operator near a tenth of a second (and a debug build near one second).
    public var maxNodeWork = 1 << 21
    /// Operators that may be used (nil: all).
    public var include: Set<String>?
    /// Operators that may not be used.
    public var exclude: Set<String> = []
    /// Dtypes tensors may have (empty: all).
    public var dtypes: Set<DType> = []
    /// The instances a target runtime has kernels for (nil: no restriction).
    public var kernels: KernelTable?
    /// Chance that a step inserts backward (an operator that produces a placeholder) instead of forward.
    public var backwardProbability = 0.2
    /// Chance that a step inserts a pattern compiler rewrites look for (a sibling or a same-operator chain).
    public var patternProbability = 0.1
    /// Chance that an insertion pins one attribute to a value of a bin drawn uniformly (`BinSteering`), so bins a
    /// free draw rarely makes (high axes that need deep shapes) occur too. The first operator is always steered.
    public var steeringProbability = 0.1

    public init() {}

    /// The operators in play: the include and exclude lists, and only those the kernel table has kernels for.
    public func operators(of library: SpecLibrary) -> [OpSpec] {
        library.operators.filter {
            (include?.contains($0.name) ?? true) && !exclude.contains($0.name) && (kernels?.hasKernels($0.name) ?? true)
        }
    }

    /// A solver request with this configuration's limits, dtype filter and kernel table.
    public func solverRequest(attempts: Int) -> SolverRequest {
        var r = SolverRequest()
        r.allowedDTypes = dtypes
        r.maxElements = maxElements
        r.maxRank = maxRank
        r.attempts = attempts
        if let kernels { r.kernelFilter = { kernels.allows($0) } }
        r.workLimit = (maxNodeWork, { WorkEstimate.node($0).operations })
        return r
    }
}

/// A request the generator cannot meet (operators that cannot connect, limits too small): a user error.
public struct GeneratorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
