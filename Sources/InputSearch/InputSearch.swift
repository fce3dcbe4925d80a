import Foundation
import ModelIR
import SpecLib
import TensorCore

/// Limits and step sizes of the input search.
public struct SearchConfig: Sendable {
    /// Wall-clock seconds per model; the search gives up after it.
    public var timeBudget: Double
    /// Repair steps per model (each one forward pass and one update); the search gives up after them.
    public var maxSteps: Int
    /// Adam's step size, in units of the values (inputs and weights start in [-1, 1]).
    public var learningRate: Double
    /// Steps without progress (the first failing node and its violation) before everything is redrawn.
    public var patience: Int

    public init(timeBudget: Double = 0.2, maxSteps: Int = 1000, learningRate: Double = 0.1, patience: Int = 12) {
        self.timeBudget = timeBudget
        self.maxSteps = maxSteps
        self.learningRate = learningRate
        self.patience = patience
    }
}

/// What the search found for one model.
public struct SearchOutcome: Sendable {
    /// The same graph; float weights possibly updated, integer weights possibly redrawn.
    public var model: Model
    /// One tensor per model input.
    public var inputs: [String: Tensor]
    /// Every value (inputs, weights, node outputs) is finite, every domain condition holds and no integer overflows.
    public var finite: Bool
    /// Repair steps taken.
    public var steps: Int
    /// Wall-clock time the search took.
    public var seconds: Double
    /// When not finite: the first node that failed in the last pass, and how (e.g. which input broke which domain).
    public var violation: String?
    /// How often everything was redrawn because the search was stuck.
    public var restarts: Int
    /// When finite: every value of the model (inputs, weights, node outputs), equal bit for bit to the reference's.
    public var values: [String: Tensor] = [:]
}

/// Gradient-based search for inputs and weights on which a model computes only finite values inside its
/// operators' domains and no integer value overflows its dtype: hinge losses from the specs' `domain` conditions
/// and from overflowing float values, reverse-mode gradients through the reference semantics, Adam steps, redraws
/// when stuck (integers, which have no gradient, are redrawn).
public struct InputSearch: Sendable {
    public let library: SpecLibrary
    public let config: SearchConfig

    public init(library: SpecLibrary, config: SearchConfig = .init()) {
        self.library = library
        self.config = config
    }

    /// Searches from the model's random inputs of `seed` (`Model.randomInputs`) and its own weights.
    /// The same seed gives the same outcome as long as the time budget is not what stops the search.
    public func search(_ model: Model, seed: UInt64) -> SearchOutcome {
        search(model, inputs: model.randomInputs(seed: seed), seed: seed)
    }

    /// Searches from the given inputs (one per model input) and the model's own weights; `seed` drives redraws.
    public func search(_ model: Model, inputs initial: [String: Tensor], seed: UInt64) -> SearchOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let instances: [OpInstance]
        do { instances = try Verifier.verify(model, library: library) } catch {
            return SearchOutcome(model: model, inputs: initial, finite: false, steps: 0,
                                 seconds: elapsed(), violation: "invalid model: \(error)", restarts: 0)
        }
        var run = SearchRun(model: model, instances: instances, inputs: initial, seed: seed, config: config)
        var steps = 0
        let deadline = start + UInt64(min(max(0, config.timeBudget), 1e6) * 1e9)
        var last: Failure?
        while true {
            let failure = run.forward(deadline: deadline)
            if failure == nil || steps >= config.maxSteps || elapsed() > config.timeBudget {
                let (m, inputs) = run.result()
                // A pass cut short by the budget says nothing new: report the last complete failure.
                let message = failure.map { f in f.timedOut ? (last?.message ?? f.message) + " (time budget ran out)" : f.message }
                return SearchOutcome(model: m, inputs: inputs, finite: failure == nil, steps: steps, seconds: elapsed(),
                                     violation: message, restarts: run.restarts, values: failure == nil ? run.finalValues : [:])
            }
            run.repair(failure!)
            last = failure
            steps += 1
        }
    }
}
