import Foundation
import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Where a forward pass first went wrong, and the loss that repairs it.
struct Failure {
    var node: Int
    var message: String
    var violation: Violation
    /// A node input whose violating elements have no gradient (integers, values without a float path): redrawn.
    var stuck: (input: Int, value: String, offsets: [Int])? = nil
    /// The pass stopped at the time budget, before node `node`.
    var timedOut = false
}

/// The state of one model's search: the current inputs and weights, float ones also as one flat vector.
struct SearchRun {
    /// A float model input or weight: a slice of the flat parameter vector.
    struct Leaf {
        var name: String
        var type: TensorType
        var start: Int
    }

    var model: Model
    let instances: [OpInstance]
    let compiled: [CompiledOp]
    let domains: [DomainRules]
    let config: SearchConfig
    /// Current model inputs and weights by name.
    var leafValues: [String: Tensor] = [:]
    var leaves: [Leaf] = []
    /// Every float leaf's elements, concatenated in `leaves` order.
    var x: [Double] = []
    var tape = Tape()
    var rng: SeededRNG
    var adam: Adam
    var best: (node: Int, amount: Double) = (-1, .infinity)
    var stalled = 0
    var restarts = 0

    init(model: Model, instances: [OpInstance], inputs: [String: Tensor], seed: UInt64, config: SearchConfig) {
        self.model = model
        self.instances = instances
        self.config = config
        let types = model.valueTypes
        compiled = zip(model.nodes, instances).map { node, instance in
            CompiledOp(instance, activeInputs: node.inputs.map { types[$0]!.dtype.isFloat })
        }
        domains = instances.map { DomainRules($0) }
        rng = SeededRNG(seed: seed).split(0x5EA4C4)
        for info in model.inputs { leafValues[info.name] = inputs[info.name]! }
        for w in model.weights { leafValues[w.name] = w.value }
        for name in model.inputs.map(\.name) + model.weights.map(\.name) where leafValues[name]!.dtype.isFloat {
            let t = leafValues[name]!
            leaves.append(Leaf(name: name, type: t.type, start: x.count))
            x += t.doubles
        }
        adam = Adam(count: x.count, rate: config.learningRate)
    }

    /// The model with the current weights, and the current inputs.
    func result() -> (Model, [String: Tensor]) {
        var m = model
        for k in m.weights.indices { m.weights[k].value = leafValues[m.weights[k].name]! }
        var inputs: [String: Tensor] = [:]
        for info in model.inputs { inputs[info.name] = leafValues[info.name]! }
        return (m, inputs)
    }

    /// Runs the model node by node on the tape; returns the first failure, or nil when every value is fine.
    /// Past `deadline` (uptime nanoseconds) it stops before the next node and reports that.
    mutating func forward(deadline: UInt64 = .max) -> Failure? {
        tape.reset()
        var ids: [String: [Int32]] = [:]
        for leaf in leaves {
            let first = tape.leaves(leaf.type.count)
            ids[leaf.name] = (0..<Int32(leaf.type.count)).map { first + $0 }
        }
        var values = leafValues
        for (k, node) in model.nodes.enumerated() {
            if k > 0, DispatchTime.now().uptimeNanoseconds > deadline {
                return Failure(node: k, message: "time budget ran out before node \(k) (\(node.op))", violation: Violation(amount: 1, seeds: []),
                               timedOut: true)
            }
            let inputs = node.inputs.map { values[$0]! }
            let inputIds = node.inputs.map { ids[$0] }
            if let f = checkDomains(k, inputs, inputIds) { return f }
            let r: OpTraceResult
            do {
                let views = zip(instances[k].spec.inputs, inputs).map { TensorView($1, segments: instances[k].segments[$0.name]!) }
                r = try OpTrace.run(compiled[k], views: views, ids: inputIds, tape: &tape, options: .init())
            } catch {
                return Failure(node: k, message: "node \(k) (\(node.op)): \(error)", violation: Violation(amount: 1, seeds: []),
                               stuck: (input: -1, value: "", offsets: []))
            }
            if let f = checkOutputs(k, r) { return f }
            for (o, info) in node.outputs.enumerated() {
                values[info.name] = r.outputs[o]
                if info.type.dtype.isFloat { ids[info.name] = r.ids[o] }
            }
        }
        return nil
    }

    private mutating func checkDomains(_ k: Int, _ inputs: [Tensor], _ ids: [[Int32]?]) -> Failure? {
        guard !domains[k].isEmpty else { return nil }
        let node = model.nodes[k], spec = instances[k].spec
        var te = TapeEvaluator(ev: instances[k].evaluator, tape: Tape(), proxy: true)
        swap(&te.tape, &tape)
        defer { swap(&te.tape, &tape) }
        for (j, port) in spec.inputs.enumerated() {
            let found: (violation: Violation, stuck: [Int], broken: [Int])?
            do { found = try domains[k].check(input: j, name: port.name, inputs[j], ids: ids[j], &te) } catch {
                return Failure(node: k, message: "node \(k) (\(node.op)): domain of \(port.name): \(error)",
                               violation: Violation(amount: 1, seeds: []), stuck: (input: j, value: node.inputs[j], offsets: []))
            }
            guard let found else { continue }
            var (v, stuck) = (found.violation, found.stuck)
            let broken = found.broken, count = Set(broken).count
            // A model input or weight is simply redrawn where it breaks the domain: a projection, no gradient needed.
            if leafValues[node.inputs[j]] != nil { (v.seeds, stuck) = ([], broken) }
            return Failure(node: k, message: "node \(k) (\(node.op)): input \(port.name) ('\(node.inputs[j])') breaks its domain (\(count) element\(count == 1 ? "" : "s"))",
                           violation: v, stuck: stuck.isEmpty ? nil : (input: j, value: node.inputs[j], offsets: stuck))
        }
        return nil
    }

    /// Float outputs that overflowed their dtype or became NaN: the loss pushes their magnitude down.
    private func checkOutputs(_ k: Int, _ r: OpTraceResult) -> Failure? {
        var v = Violation(amount: 0, seeds: [])
        var bad = 0, name = ""
        for (o, t) in r.outputs.enumerated() where t.dtype.isFloat {
            for e in 0..<t.count where !t.double(at: e).isFinite {
                let raw = r.raw[o][e].asDouble
                if bad == 0 { name = model.nodes[k].outputs[o].name }
                bad += 1
                v.amount += 1
                if !raw.isNaN && r.ids[o][e] >= 0 { v.seeds.append((r.ids[o][e], raw > 0 ? 1 : -1)) }
            }
        }
        guard bad > 0 else { return nil }
        return Failure(node: k, message: "node \(k) (\(model.nodes[k].op)): output '\(name)' has \(bad) non-finite element\(bad == 1 ? "" : "s")",
                       violation: v, stuck: v.seeds.isEmpty ? (input: -1, value: "", offsets: []) : nil)
    }
}
