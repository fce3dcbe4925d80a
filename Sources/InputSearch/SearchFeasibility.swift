import Generator
import ModelIR
import Reference
import SpecLib
import TensorCore

/// The generator's feasibility check (`FeasibilityCheck`) done with the reference and the input search: the nodes
/// not yet evaluated run on the reference; when one of them breaks a domain, is not finite or overflows its
/// integer dtype (`OverflowMonitor`), the input search
/// repairs the whole model from the current state, bounded by steps only (never by time), so the answer, and with
/// it the generated model, depends on the seed alone.
public struct SearchFeasibility: FeasibilityCheck {
    public let library: SpecLibrary
    public let search: InputSearch

    /// `steps` bounds each repair: the new node is usually repaired in a few.
    public init(library: SpecLibrary, steps: Int = 20) {
        self.library = library
        search = InputSearch(library: library, config: SearchConfig(timeBudget: .infinity, maxSteps: steps))
    }

    public func witness(_ model: Model, instances: [OpInstance], values: [String: Tensor], seed: UInt64) -> [String: Tensor]? {
        guard instances.count == model.nodes.count else { return nil }
        var state = values
        if Self.evaluate(model, instances, &state) { return state }
        var start = model
        for k in start.weights.indices { start.weights[k].value = values[start.weights[k].name] ?? start.weights[k].value }
        let inputs = Dictionary(uniqueKeysWithValues: model.inputs.map { ($0.name, values[$0.name]!) })
        let outcome = search.search(start, inputs: inputs, seed: seed)
        return outcome.finite ? outcome.values : nil
    }

    /// `witness` of a model whose instances the caller does not have: verified first, nil when it is not valid.
    public func witness(_ model: Model, values: [String: Tensor], seed: UInt64) -> [String: Tensor]? {
        guard let instances = try? Verifier.verify(model, library: library) else { return nil }
        return witness(model, instances: instances, values: values, seed: seed)
    }

    /// Evaluates, on the reference, every node whose outputs are missing from `values` or that reads a value
    /// evaluated here; false at the first input outside its operator's domain, output that is not finite, or
    /// integer overflow.
    static func evaluate(_ model: Model, _ instances: [OpInstance], _ values: inout [String: Tensor]) -> Bool {
        var fresh = Set<String>()
        for (node, instance) in zip(model.nodes, instances) {
            guard node.outputs.contains(where: { values[$0.name] == nil }) || node.inputs.contains(where: fresh.contains) else { continue }
            let inputs = node.inputs.map { values[$0]! }
            for (port, t) in inputs.enumerated() where !DomainInputs.holds(t, port: port, of: instance) { return false }
            guard let (outputs, overflow) = try? OpEvaluation.evaluateReportingOverflow(instance, inputs: inputs), overflow == nil else { return false }
            for (info, t) in zip(node.outputs, outputs) {
                guard t.isAllFinite else { return false }
                values[info.name] = t
                fresh.insert(info.name)
            }
        }
        return true
    }
}
