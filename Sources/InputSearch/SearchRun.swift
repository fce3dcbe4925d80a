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

    /// A node's outputs from an earlier pass, still valid while its inputs have the versions they had then.
    struct CachedNode {
        var inputVersions: [Int]
        var outputs: [Tensor]
        var ids: [[Int32]?]
    }
    /// Per node, its last successful evaluation (its tape entries stay valid until the tape is reset).
    var cache: [CachedNode?] = []
    /// A version per value name, bumped whenever the value changes (leaves) or is recomputed (node outputs).
    var versions: [String: Int] = [:]
    var nextVersion = 1
    /// The tape entries of the float leaves, allocated when the tape is reset; empty forces a reset.
    var leafIds: [String: [Int32]] = [:]
    /// The tape is reset (and every node recomputed) once it grows past this.
    var tapeLimit = 0
    /// Every value of the last pass that found nothing wrong (inputs, weights, node outputs).
    var finalValues: [String: Tensor] = [:]

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
    /// Nodes whose inputs did not change since they last passed are not evaluated again: their outputs
    /// and tape entries are reused (the tape only grows until it is reset).
    mutating func forward(deadline: UInt64 = .max) -> Failure? {
        let fresh = leafIds.isEmpty || tape.count > tapeLimit
        if fresh { resetTape() }
        defer { if fresh { tapeLimit = 3 * tape.count + 100_000 } }
        var ids = leafIds
        var values = leafValues
        for (k, node) in model.nodes.enumerated() {
            if k > 0, DispatchTime.now().uptimeNanoseconds > deadline {
                return Failure(node: k, message: "time budget ran out before node \(k) (\(node.op))", violation: Violation(amount: 1, seeds: []),
                               timedOut: true)
            }
            let current = node.inputs.map { versions[$0, default: 0] }
            if let c = cache[k], c.inputVersions == current {
                for (o, info) in node.outputs.enumerated() {
                    values[info.name] = c.outputs[o]
                    if let i = c.ids[o] { ids[info.name] = i }
                }
                continue
            }
            cache[k] = nil
            let inputs = node.inputs.map { values[$0]! }
            let inputIds = node.inputs.map { ids[$0] }
            if let f = checkDomains(k, inputs, inputIds) { return f }
            let r: OpTraceResult
            do {
                let views = zip(instances[k].inputPorts, inputs).map { TensorView($1, segments: instances[k].segments[$0.name]!) }
                r = try OpTrace.run(compiled[k], views: views, ids: inputIds, tape: &tape, options: .init(watchOverflow: true, deadline: deadline))
            } catch is OpTrace.Timeout {
                return Failure(node: k, message: "time budget ran out in node \(k) (\(node.op))", violation: Violation(amount: 1, seeds: []),
                               timedOut: true)
            } catch {
                return Failure(node: k, message: "node \(k) (\(node.op)): \(error)", violation: Violation(amount: 1, seeds: []),
                               stuck: (input: -1, value: "", offsets: []))
            }
            if let f = checkOutputs(k, r) { return f }
            if let o = r.overflow {
                // Integers have no gradient: the repair redraws them (or restarts the floats they come from).
                return Failure(node: k, message: "node \(k) (\(node.op)): integer overflow: \(o)", violation: Violation(amount: 1, seeds: []),
                               stuck: (input: -1, value: "", offsets: []))
            }
            var outIds: [[Int32]?] = []
            for (o, info) in node.outputs.enumerated() {
                values[info.name] = r.outputs[o]
                outIds.append(info.type.dtype.isFloat ? r.ids[o] : nil)
                if info.type.dtype.isFloat { ids[info.name] = r.ids[o] }
                touch(info.name)
            }
            cache[k] = CachedNode(inputVersions: current, outputs: r.outputs, ids: outIds)
        }
        finalValues = values
        return nil
    }

    /// Empties the tape, gives the float leaves new entries and forgets every cached node.
    private mutating func resetTape() {
        tape.reset()
        leafIds = [:]
        for leaf in leaves {
            let first = tape.leaves(leaf.type.count)
            leafIds[leaf.name] = (0..<Int32(leaf.type.count)).map { first + $0 }
        }
        cache = [CachedNode?](repeating: nil, count: model.nodes.count)
    }

    /// Marks a value as changed: every node reading it is evaluated again.
    mutating func touch(_ name: String) {
        versions[name] = nextVersion
        nextVersion += 1
    }

    private mutating func checkDomains(_ k: Int, _ inputs: [Tensor], _ ids: [[Int32]?]) -> Failure? {
        guard !domains[k].isEmpty else { return nil }
        let node = model.nodes[k]
        var te = TapeEvaluator(ev: instances[k].evaluator, tape: Tape(), proxy: true)
        swap(&te.tape, &tape)
        defer { swap(&te.tape, &tape) }
        for (j, port) in instances[k].inputPorts.enumerated() {
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
