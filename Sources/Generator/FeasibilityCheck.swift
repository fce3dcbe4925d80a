import ModelIR
import SpecLib
import TensorCore

/// A check the generator runs after each insertion: does the model so far still have a state, values for its
/// inputs and weights, on which every value is finite and inside every operator's domain? An insertion that
/// leaves no such state (`Asin` of a `LogSoftmax` over three elements, `Log(Sub(x, x))`, a value that must be
/// both at least 1 and at most 1) is undone, so that every generated model has inputs the input search can find.
///
/// The generator keeps the state found so far (its *witness*) and hands it back with each new node, so the check
/// evaluates only what changed. It must be deterministic: the same arguments give the same answer.
public protocol FeasibilityCheck: Sendable {
    /// `instances` are the instances of `model`'s nodes, in order, as the generator made them (so the check need not
    /// verify the model again). `values` holds a value for every input and weight of `model`, and the outputs of the
    /// nodes evaluated before;
    /// a node whose outputs are missing is evaluated, and so is every node after it that reads a new value.
    /// Returns every value of the model in a state where all are finite and inside every domain (inputs and
    /// weights possibly changed from `values`), or nil when none was found.
    func witness(_ model: Model, instances: [OpInstance], values: [String: Tensor], seed: UInt64) -> [String: Tensor]?
}

extension GraphBuilder {
    /// Runs the check on the model built so far, with the witness extended by random values for new inputs and
    /// the new weights. On success the witness and the weights (which the check may have changed) are updated.
    /// After a backward insertion the new node (first in order) now computes the input it replaced: its outputs
    /// are forgotten, so it and every node that reads them, directly or not, are evaluated again.
    mutating func confirm(_ check: any FeasibilityCheck, backward: Bool, _ rng: inout SeededRNG) -> Bool {
        var values = witness
        if backward, let first = nodes.first { for o in first.outputs { values[o.name] = nil } }
        for p in placeholders where values[p.name] == nil { values[p.name] = Model.randomInput(p.type, using: &rng) }
        for w in weights where values[w.name] == nil { values[w.name] = w.value }
        guard let found = check.witness(finish(&rng), instances: instances, values: values, seed: rng.next()) else { return false }
        witness = found
        for k in weights.indices { if let v = found[weights[k].name] { weights[k].value = v } }
        return true
    }
}
