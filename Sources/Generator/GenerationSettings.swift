import Foundation
import TensorCore

/// What shapes generated models, as a plain value: what the generator options of the command line give, and what a
/// campaign's `config.json` stores for its workers.
///
/// Unlike `GeneratorConfig`, it names the kernel table by path rather than holding it, and says whether the
/// generator checks that every model keeps a finite state; `config()` gives the `GeneratorConfig` it stands for.
public struct GenerationSettings: Codable, Sendable, Hashable {
    /// Operators per model.
    public var nodes = 10
    /// Only these operators (nil: all), as given.
    public var include: [String]?
    /// Never these operators.
    public var exclude: [String] = []
    /// Only these dtypes (empty: all).
    public var dtypes: [DType] = []
    /// The path of a kernel table (from `graphsmith kernels`) whose kernels the models must keep to.
    public var kernels: String?
    /// Largest number of elements of any tensor.
    public var maxElements = 65_536
    /// Largest rank of any tensor.
    public var maxRank = 5
    /// Whether the generator keeps only insertions that leave the model a state where every value is finite and
    /// inside every domain (`--no-value-check` turns it off).
    public var valueCheck = true

    public init(nodes: Int = 10, include: [String]? = nil, exclude: [String] = [], dtypes: [DType] = [], kernels: String? = nil,
                maxElements: Int = 65_536, maxRank: Int = 5, valueCheck: Bool = true) {
        self.nodes = nodes
        self.include = include
        self.exclude = exclude
        self.dtypes = dtypes
        self.kernels = kernels
        self.maxElements = maxElements
        self.maxRank = maxRank
        self.valueCheck = valueCheck
    }

    /// The generator configuration these settings stand for, with the kernel table read from its file (a
    /// `GeneratorError` when it cannot be read). The feasibility check is the caller's, by `valueCheck`.
    public func config() throws -> GeneratorConfig {
        var c = GeneratorConfig()
        c.nodes = nodes
        c.maxElements = maxElements
        c.maxRank = maxRank
        c.include = include.map(Set.init)
        c.exclude = Set(exclude)
        c.dtypes = Set(dtypes)
        c.kernels = try kernels.map { try KernelTable.read(path: $0) }
        return c
    }
}

extension GenerationSettings {
    /// The items of a comma-separated list (`Relu, Add,,Mul` gives three), as `--include` and `--dtypes` take them.
    public static func list(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
