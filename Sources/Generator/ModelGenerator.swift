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
    let specsByName: [String: OpSpec]
    /// Each operator's attribute bins, for steered insertions.
    let steering: [String: BinSteering]
    /// The rewrite identities' two-operator left sides over the operators in play.
    let rules: [RulePattern]
    /// Each operator's first runtime input, summarised for a quick feasibility test.
    let firstInputs: [FirstInput?]
    /// Run after each insertion; an insertion it rejects is undone (nil: every type-correct insertion stays).
    public let feasibility: (any FeasibilityCheck)?

    public init(library: SpecLibrary, config: GeneratorConfig, feasibility: (any FeasibilityCheck)? = nil) throws {
        self.library = library
        self.config = config
        self.feasibility = feasibility
        for name in (config.include ?? []).union(config.exclude).sorted() where library.spec(named: name) == nil {
            throw GeneratorError("unknown operator '\(name)' in the include or exclude list")
        }
        operators = config.operators(of: library)
        guard !operators.isEmpty else {
            throw GeneratorError("no operator is left after the include and exclude lists\(config.kernels == nil ? "" : " and the kernel table")")
        }
        solvers = Dictionary(uniqueKeysWithValues: operators.map { ($0.name, Solver(spec: $0)) })
        specsByName = Dictionary(uniqueKeysWithValues: operators.map { ($0.name, $0) })
        steering = Dictionary(uniqueKeysWithValues: operators.map { ($0.name, BinSteering($0, maxRank: config.maxRank)) })
        rules = RulePattern.all(library, usable: specsByName)
        firstInputs = operators.map { spec in
            spec.inputs.firstIndex { $0.role == .input }.map { k in
                let port = spec.inputs[k]
                let kernelDTypes = config.kernels?.inputDTypes[spec.name]?[k]
                return FirstInput(dtypes: Set(spec.allowedDTypes(port)).filter { kernelDTypes?.contains($0) ?? true },
                                  minRank: port.shape.filter { !$0.isSplice }.count, exact: !port.shape.contains { $0.isSplice })
            }
        }
        guard config.nodes >= 1 else { throw GeneratorError("--nodes must be at least 1") }
        guard config.maxElements >= 1, (0...8).contains(config.maxRank) else { throw GeneratorError("limits out of range") }
    }

    /// How a generation went: insertions tried and failed (the solver found nothing), forward and backward.
    public struct Stats: Sendable, Hashable {
        public var forward = 0, backward = 0, failedForward = 0, failedBackward = 0, patterns = 0, failedPatterns = 0
        /// Insertions undone because the feasibility check found no finite state for them.
        public var infeasible = 0
        public init() {}
    }

    /// The model of one seed.
    public func generate(seed: UInt64) throws -> Model {
        var stats = Stats()
        return try generate(seed: seed, stats: &stats)
    }

    /// The model of one seed, counting insertions in `stats`.
    public func generate(seed: UInt64, stats: inout Stats) throws -> Model {
        try generateWitnessed(seed: seed, stats: &stats).model
    }

    /// The model of one seed and, with a feasibility check, its witness: values for every input, weight and node
    /// output on which all are finite and inside every domain (nil without a check).
    /// `focus` names rewrite rules whose left sides rule insertions favour (`CoverageDenominators.buildableRules`; others are ignored).
    public func generateWitnessed(seed: UInt64, focus: Set<String> = []) throws -> (model: Model, witness: [String: Tensor]?) {
        var stats = Stats()
        return try generateWitnessed(seed: seed, focus: focus, stats: &stats)
    }

    func generateWitnessed(seed: UInt64, focus: Set<String> = [], stats: inout Stats) throws -> (model: Model, witness: [String: Tensor]?) {
        var rng = SeededRNG(seed: seed)
        var build = GraphBuilder(config: config, steering: steering)
        var failures = 0
        var usable: [OpSpec] = [], usableKinds: Set<ValueKind> = []
        let budget = 40 * config.nodes + 200
        while build.nodes.count < config.nodes {
            let saved = build
            // An insertion the feasibility check rejects is undone and counts as failed.
            func confirmed(_ ok: Bool, backward: Bool) -> Bool {
                guard ok, let check = feasibility else { return ok }
                if build.confirm(check, backward: backward, &rng) { return true }
                build = saved
                stats.infeasible += 1
                return false
            }
            if !build.nodes.isEmpty && rng.double(in: 0, 1) < config.patternProbability {
                stats.patterns += 1
                if confirmed(build.insertPattern(specsByName, solvers, rules: rules, focus: focus, &rng), backward: false) { continue }
                stats.failedPatterns += 1
            }
            let backward = !build.placeholders.isEmpty && rng.double(in: 0, 1) < config.backwardProbability
            // Forward, only operators with an input some existing value can feed; backward, any.
            // The operators some value can feed change only when a new (dtype, rank) kind appears: cached.
            if !backward && !build.types.isEmpty && usableKinds != build.kinds {
                usableKinds = build.kinds
                usable = operators.indices.filter { build.canFeed(firstInputs[$0]) }.map { operators[$0] }
            }
            let pool = backward || build.types.isEmpty || usable.isEmpty ? operators : usable
            let spec = build.chooseOperator(pool, &rng)
            let inserted = backward ? build.insertBackward(spec, solvers[spec.name]!, &rng) : build.insertForward(spec, solvers[spec.name]!, &rng)
            let ok = confirmed(inserted, backward: backward)
            if backward { stats.backward += 1; stats.failedBackward += ok ? 0 : 1 } else { stats.forward += 1; stats.failedForward += ok ? 0 : 1 }
            if !ok {
                failures += 1
                if failures > budget { throw impossible(build) }
            }
        }
        return (build.finish(&rng), feasibility == nil ? nil : build.witness)
    }

    private func impossible(_ build: GraphBuilder) -> GeneratorError {
        let names = operators.prefix(8).map(\.name).joined(separator: ", ") + (operators.count > 8 ? ", ..." : "")
        if build.nodes.isEmpty {
            return GeneratorError("no operator among [\(names)] can be instantiated within the limits (max \(config.maxElements) elements, rank \(config.maxRank)\(config.dtypes.isEmpty ? "" : ", dtypes \(config.dtypes.map(\.rawValue).sorted().joined(separator: " "))"))")
        }
        return GeneratorError("cannot reach \(config.nodes) operators: after \(build.nodes.count), no operator among [\(names)] connects to the values so far within the limits")
    }
}

/// A value's dtype and rank: what decides, cheaply, whether an operator could consume it.
struct ValueKind: Hashable, Sendable {
    var dtype: DType
    var rank: Int
}

/// What an operator's first runtime input accepts: dtypes, and ranks (at least `minRank`, exactly when `exact`).
struct FirstInput: Sendable {
    var dtypes: Set<DType>
    var minRank: Int
    var exact: Bool
}
