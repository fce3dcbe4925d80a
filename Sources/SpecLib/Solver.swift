import SpecLang
import TensorCore

/// Finds concrete shapes and attributes for one operator, given some of its types: the generator's
/// constraint solver.
///
/// Symbols fixed by the given types are bound by matching; every other dim, shape group and
/// attribute is a variable. Variables are drawn at random (dims biased toward those already in
/// play, so shapes line up), then a min-conflicts local search changes one variable of a violated
/// constraint at a time, each candidate value checked against every constraint by evaluation.
/// Attempts restart from a fresh draw. No SMT solver: constraints are the spec's own expressions.
public struct Solver: Sendable {
    public let spec: OpSpec
    let facts: SolverFacts
    var lets: [String: Expr] { facts.lets }

    public init(spec: OpSpec) {
        self.spec = spec
        facts = SolverFacts(spec)
    }

    /// An instance meeting the request, or nil when every attempt failed.
    public func solve(_ request: SolverRequest, using rng: inout SeededRNG) -> OpInstance? {
        for _ in 0..<request.attempts {
            guard var state = SolverState(spec: spec, request: request, facts: facts, rng: &rng) else { continue }
            if let instance = search(&state, request, &rng) { return instance }
        }
        return nil
    }

    private func search(_ state: inout SolverState, _ request: SolverRequest, _ rng: inout SeededRNG) -> OpInstance? {
        var violated = state.violations(lets: lets)
        var steps = 0, stale = 0, fewest = violated.count
        // Give up on this draw after a few steps without progress: a fresh draw is cheaper than a long walk.
        while !violated.isEmpty && steps < 40 && stale < 4 {
            steps += 1
            let c = violated[rng.int(in: 0...(violated.count - 1))]
            let candidates = state.constraintVariables(c, lets: lets).filter { state.variables.contains($0) }
            guard !candidates.isEmpty else { return nil }
            let variable = candidates.sorted()[rng.int(in: 0...(candidates.count - 1))]
            var best: (Value, [Int])?
            var options = state.candidates(for: variable, &rng)
            for k in stride(from: options.count - 1, to: 0, by: -1) { options.swapAt(k, rng.int(in: 0...k)) }
            // First improvement: take the first value that breaks fewer constraints than now.
            for value in options {
                state.set(variable, value)
                let v = state.violations(lets: lets, changed: variable)
                if best == nil || v.count < best!.1.count || (v.count == best!.1.count && rng.bool()) { best = (value, v) }
                if v.count < violated.count { break }
            }
            guard let (value, v) = best else { return nil }
            state.set(variable, value)
            _ = state.violations(lets: lets, changed: variable)
            violated = v
            if v.count < fewest { fewest = v.count; stale = 0 } else { stale += 1 }
        }
        guard violated.isEmpty else { return nil }
        return try? state.instantiate()
    }
}
