import Generator
import InputSearch
import SpecLib

/// The input search on generated models (`bench search`): the share it makes NaN/Inf-free and its time, against
/// plain random inputs.
public struct SearchBenchmark {
    public let library: SpecLibrary
    /// The search measured, and plain random inputs (no search step) for comparison.
    let search: InputSearch
    let plain: InputSearch

    public init(library: SpecLibrary, config: SearchConfig) {
        self.library = library
        search = InputSearch(library: library, config: config)
        plain = InputSearch(library: library, config: SearchConfig(timeBudget: .infinity, maxSteps: 0))
    }

    /// One size's measurements.
    public struct Row: Encodable, Sendable {
        public var nodes: Int
        public var models: Int
        public var successRate: Double
        public var randomSuccessRate: Double
        public var medianMs: Double
        public var p95Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        public var meanSteps: Double
        /// `seed S: why` for each model the search did not repair.
        public var failures: [String]
        /// Models the search made NaN/Inf-free.
        public var repaired: Int { models - failures.count }
        /// Models plain random inputs already made NaN/Inf-free (the JSON has only the rate).
        public var randomRepaired: Int

        enum CodingKeys: String, CodingKey {
            case nodes, models, successRate, randomSuccessRate, medianMs, p95Ms, p99Ms, maxMs, meanSteps, failures
        }
    }

    /// Searches inputs for `models` generated models (seeds `seed` on).
    public func measure(_ generator: ModelGenerator, models: Int, seed: UInt64) throws -> Row {
        var times: [Double] = [], randomOk = 0, steps = 0, failures: [String] = []
        for k in 0..<models {
            let s = seed &+ UInt64(k)
            let model = try generator.generate(seed: s)
            if plain.search(model, seed: s).finite { randomOk += 1 }
            let outcome = search.search(model, seed: s)
            times.append(outcome.seconds * 1000)
            steps += outcome.steps
            if !outcome.finite { failures.append("seed \(s): \(outcome.violation ?? "?")") }
        }
        times.sort()
        return Row(nodes: generator.config.nodes, models: models, successRate: Double(models - failures.count) / Double(models),
                   randomSuccessRate: Double(randomOk) / Double(models), medianMs: Timing.percentile(0.5, of: times),
                   p95Ms: Timing.percentile(0.95, of: times), p99Ms: Timing.percentile(0.99, of: times), maxMs: times.last ?? 0,
                   meanSteps: Double(steps) / Double(models), failures: failures, randomRepaired: randomOk)
    }
}
