import SpecLib

/// The denominators of coverage (every operator, every feasible pair, every reachable bin) under a generator
/// configuration, computed once: with a kernel table, only what it lets the generator make.
public struct CoverageDenominators: Sendable {
    public let operators: [OpSpec]
    public let pairs: Set<String>
    public let bins: Set<String>
    /// The rewrite rules whose left sides the generator builds directly (what campaign steering can aim at).
    public let buildableRules: [String]

    public init(library: SpecLibrary, config: GeneratorConfig) {
        operators = config.operators(of: library)
        let usable = Dictionary(operators.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        buildableRules = RulePattern.all(library, usable: usable).flatMap(\.rules)
        pairs = FeasiblePairs.compute(operators, config: config)
        bins = ReachableBins.compute(operators, config: config)
    }

    /// `c` against these denominators.
    public func report(_ c: Coverage) -> CoverageReport {
        CoverageReport(c, operators: operators, feasiblePairs: pairs, reachableBins: bins)
    }
}
