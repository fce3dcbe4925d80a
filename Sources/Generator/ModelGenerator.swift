import ModelIR
import SpecLib
import TensorCore

/// Generates random valid models one operator at a time, by forward insertion (consume existing values)
/// and backward insertion (produce a value a placeholder input stood for), type-checked by the solver.
public struct ModelGenerator: Sendable {
    public let library: SpecLibrary
    public let config: GeneratorConfig
    /// The operators in play, in name order.
    public let operators: [OpSpec]
    let solvers: [String: Solver]

    public init(library: SpecLibrary, config: GeneratorConfig) throws {
        self.library = library
        self.config = config
        for name in (config.include ?? []).union(config.exclude).sorted() where library.spec(named: name) == nil {
            throw GeneratorError("unknown operator '\(name)' in the include or exclude list")
        }
        operators = library.operators.filter { (config.include?.contains($0.name) ?? true) && !config.exclude.contains($0.name) }
        guard !operators.isEmpty else { throw GeneratorError("no operator is left after the include and exclude lists") }
        solvers = Dictionary(uniqueKeysWithValues: operators.map { ($0.name, Solver(spec: $0)) })
        guard config.nodes >= 1 else { throw GeneratorError("--nodes must be at least 1") }
        guard config.maxElements >= 1, (0...8).contains(config.maxRank) else { throw GeneratorError("limits out of range") }
    }

    /// The model of one seed.
    public func generate(seed: UInt64) throws -> Model {
        var rng = SeededRNG(seed: seed)
        var build = GraphBuilder(config: config)
        var failures = 0
        let budget = 40 * config.nodes + 200
        while build.nodes.count < config.nodes {
            let spec = build.chooseOperator(operators, &rng)
            let backward = !build.placeholders.isEmpty && rng.double(in: 0, 1) < config.backwardProbability
            let ok = backward ? build.insertBackward(spec, solvers[spec.name]!, &rng) : build.insertForward(spec, solvers[spec.name]!, &rng)
            if !ok {
                failures += 1
                if failures > budget { throw impossible(build) }
            }
        }
        return build.finish(&rng)
    }

    private func impossible(_ build: GraphBuilder) -> GeneratorError {
        let names = operators.prefix(8).map(\.name).joined(separator: ", ") + (operators.count > 8 ? ", ..." : "")
        if build.nodes.isEmpty {
            return GeneratorError("no operator among [\(names)] can be instantiated within the limits (max \(config.maxElements) elements, rank \(config.maxRank)\(config.dtypes.isEmpty ? "" : ", dtypes \(config.dtypes.map(\.rawValue).sorted().joined(separator: " "))"))")
        }
        return GeneratorError("cannot reach \(config.nodes) operators: after \(build.nodes.count), no operator among [\(names)] connects to the values so far within the limits")
    }
}
