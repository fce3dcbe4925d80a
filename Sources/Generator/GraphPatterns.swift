import ModelIR
import Reference
import SpecLib
import TensorCore

/// Insertions that make the shapes compiler rewrites look for, which plain random insertion rarely makes:
///
/// - a *sibling*: a second node with the same operator and the very same inputs as an existing one, with its own
///   attributes — what common subexpression elimination must merge only when the attributes agree too — or, half
///   the time for two inputs of one type, the same inputs swapped (merged only when the operator commutes);
/// - a *chain*: an operator applied to the output of a node of the same operator — `Transpose(Transpose(x))`,
///   `Reshape(Reshape(x))`, `Neg(Neg(x))` — what algebraic and layout rules rewrite;
/// - a *rule's left side* (`RulePattern`), the two operators of a rewrite identity in a row with the attributes it
///   binds twice given one value — `Reshape(Squeeze(x))`, `Unsqueeze(Squeeze(x, axes = a), axes = a)` — each
///   identity as likely as any other, however rare its operators are.
extension GraphBuilder {
    /// Tries a rule's left side (a third of the time, when there are rules; two times in three one of the rules in
    /// `focus`, the campaign's least-fired, when any pattern serves them), else a sibling or (equally likely) a
    /// chain on a random existing node. A chain prefers a node whose operator has identities in its spec
    /// (`identity inverse: Transpose(Transpose(X, perm = p), ...) == X`): those are the chains the rewrite rules,
    /// which come from the identities, act on.
    mutating func insertPattern(_ specs: [String: OpSpec], _ solvers: [String: Solver], rules: [RulePattern],
                                focus: Set<String> = [], _ rng: inout SeededRNG) -> Bool {
        guard !nodes.isEmpty else { return false }
        if !rules.isEmpty, rng.int(in: 0...2) == 0 {
            let focused = focus.isEmpty ? [] : rules.filter { !focus.isDisjoint(with: $0.rules) }
            let pool = !focused.isEmpty && rng.int(in: 0...2) < 2 ? focused : rules
            return insertRule(pool[rng.int(in: 0...(pool.count - 1))], specs, solvers, &rng)
        }
        let sibling = rng.bool()
        let rewritable = sibling ? [] : nodes.filter { specs[$0.op]?.file.identities.isEmpty == false }
        let pool = !rewritable.isEmpty && rng.int(in: 0...9) < 7 ? rewritable : nodes
        let node = pool[rng.int(in: 0...(pool.count - 1))]
        guard let spec = specs[node.op], let solver = solvers[node.op] else { return false }
        return sibling ? insertSibling(of: node, spec, solver, &rng) : insertChain(after: node, spec, solver, &rng)
    }

    /// `rule.outer` after a node of `rule.inner`: an existing one, or one inserted after a random node first.
    mutating func insertRule(_ rule: RulePattern, _ specs: [String: OpSpec], _ solvers: [String: Solver], _ rng: inout SeededRNG) -> Bool {
        guard let outer = specs[rule.outer], let outerSolver = solvers[rule.outer],
              let inner = specs[rule.inner], let innerSolver = solvers[rule.inner] else { return false }
        let existing = nodes.filter { $0.op == rule.inner }
        let before = self
        let node: Node
        if !existing.isEmpty {
            node = tieFavoured(existing, { $0.inputs.first.flatMap { types[$0]?.shape } }, &rng)
        } else {
            // Two new nodes must fit in the model's size.
            guard nodes.count + 2 <= config.nodes,
                  insertChain(after: tieFavoured(nodes, { $0.outputs.first?.type.shape }, &rng), inner, innerSolver, &rng),
                  let added = nodes.last
            else { return false }
            node = added
        }
        var attributes: [String: AttributeValue] = [:]
        for (key, innerKey) in rule.shared { if let v = node.attributes[innerKey] { attributes[key] = v } }
        guard insertChain(after: node, outer, outerSolver, attributes: attributes, &rng) else {
            self = before  // no inner node left behind without its outer
            return false
        }
        return true
    }

    /// One of `candidates`, half the time (when there is one) among those whose `shape` has a *tie*, two equal dims
    /// above 1. A rule's left side is built over the value `shape` gives: only over a tie does a rewrite that mixes
    /// up two axes (a wrong permutation, a swap taken for a no-op) keep the shape, so that a faulty rule fires at all
    /// and its wrong values pass every shape check.
    func tieFavoured(_ candidates: [Node], _ shape: (Node) -> [Int]?, _ rng: inout SeededRNG) -> Node {
        let tied = candidates.filter { node in shape(node).map { !ShapeTie.axes(of: $0).isEmpty } ?? false }
        let pool = !tied.isEmpty && rng.bool() ? tied : candidates
        return pool[rng.int(in: 0...(pool.count - 1))]
    }

    /// The same operator on the same inputs (weights included), attributes solved afresh.
    mutating func insertSibling(of node: Node, _ spec: OpSpec, _ solver: Solver, _ rng: inout SeededRNG) -> Bool {
        var req = request()
        var chosen: [Int: String] = [:]
        // The sibling has the node's optional inputs present or absent as the node has them.
        for a in spec.presenceAttributes { if let v = node.attributes[a] { req.fixedAttributes[a] = v } }
        let ports = spec.inputPorts(attributes: node.attributes)
        for (p, name) in node.inputs.enumerated() where p < ports.count {
            chosen[spec.inputs.firstIndex { $0.name == ports[p].name }!] = name
        }
        // Half the time a sibling of a node with two runtime inputs of one type takes them the other way round,
        // `Sub(b, a)` beside `Sub(a, b)`: what elimination may merge only for an operator that commutes.
        let runtime = chosen.keys.filter { spec.inputs[$0].role == .input }.sorted()
        if runtime.count == 2, let a = chosen[runtime[0]], let b = chosen[runtime[1]], a != b, types[a] == types[b], rng.bool() {
            (chosen[runtime[0]], chosen[runtime[1]]) = (b, a)
        }
        for (k, name) in chosen { req.fixedInputs[k] = types[name]! }
        guard let instance = solver.solve(req, using: &rng) else { return false }
        // A constant drawn inside its domain for the first node's attributes (Gather's indices for its axis) may
        // fall outside it for the new ones: then no sibling.
        for (k, name) in chosen {
            guard let p = instance.inputPorts.firstIndex(where: { $0.name == spec.inputs[k].name }) else { return false }
            guard !instance.inputTypes[p].dtype.isFloat, let w = weights.first(where: { $0.name == name }) else { continue }
            if !DomainInputs.holds(w.value, port: p, of: instance) { return false }
        }
        add(instance, consuming: chosen, replacing: nil, &rng)
        return true
    }

    /// `spec`'s operator after the node, its first runtime input the node's first output, with `attributes` fixed.
    mutating func insertChain(after node: Node, _ spec: OpSpec, _ solver: Solver, attributes: [String: AttributeValue] = [:],
                              _ rng: inout SeededRNG) -> Bool {
        guard let port = spec.inputs.indices.first(where: { spec.inputs[$0].role == .input }),
              let value = node.outputs.first, candidates(for: port, of: spec).contains(value.name) else { return false }
        var req = request()
        req.fixedInputs[port] = value.type
        for (k, v) in attributes { req.fixedAttributes[k] = v }
        guard let instance = solver.solve(req, using: &rng) else { return false }
        add(instance, consuming: [port: value.name], replacing: nil, &rng)
        return true
    }
}
