import ModelIR
import Reference
import SpecLib
import TensorCore

/// Insertions that make the shapes compiler rewrites look for, which plain random insertion rarely makes:
///
/// - a *sibling*: a second node with the same operator and the very same inputs as an existing one, with its own
///   attributes — what common subexpression elimination must merge only when the attributes agree too;
/// - a *chain*: an operator applied to the output of a node of the same operator — `Transpose(Transpose(x))`,
///   `Reshape(Reshape(x))`, `Neg(Neg(x))` — what algebraic and layout rules rewrite.
extension GraphBuilder {
    /// Tries a sibling or (equally likely) a chain on a random existing node. A chain prefers a node whose operator
    /// has identities in its spec (`identity inverse: Transpose(Transpose(X, perm = p), ...) == X`): those are the
    /// chains the rewrite rules, which come from the identities, act on.
    mutating func insertPattern(_ specs: [String: OpSpec], _ solvers: [String: Solver], _ rng: inout SeededRNG) -> Bool {
        guard !nodes.isEmpty else { return false }
        let sibling = rng.bool()
        let rewritable = sibling ? [] : nodes.filter { specs[$0.op]?.file.identities.isEmpty == false }
        let pool = !rewritable.isEmpty && rng.int(in: 0...9) < 7 ? rewritable : nodes
        let node = pool[rng.int(in: 0...(pool.count - 1))]
        guard let spec = specs[node.op], let solver = solvers[node.op] else { return false }
        return sibling ? insertSibling(of: node, spec, solver, &rng) : insertChain(after: node, spec, solver, &rng)
    }

    /// The same operator on the same inputs (weights included), attributes solved afresh.
    mutating func insertSibling(of node: Node, _ spec: OpSpec, _ solver: Solver, _ rng: inout SeededRNG) -> Bool {
        var req = request()
        var chosen: [Int: String] = [:]
        // The sibling has the node's optional inputs present or absent as the node has them.
        for a in spec.presenceAttributes { if let v = node.attributes[a] { req.fixedAttributes[a] = v } }
        let ports = spec.inputPorts(attributes: node.attributes)
        for (p, name) in node.inputs.enumerated() where p < ports.count {
            let k = spec.inputs.firstIndex { $0.name == ports[p].name }!
            chosen[k] = name
            req.fixedInputs[k] = types[name]!
        }
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

    /// The same operator again, its first runtime input the node's first output.
    mutating func insertChain(after node: Node, _ spec: OpSpec, _ solver: Solver, _ rng: inout SeededRNG) -> Bool {
        guard let port = spec.inputs.indices.first(where: { spec.inputs[$0].role == .input }),
              let value = node.outputs.first, candidates(for: port, of: spec).contains(value.name) else { return false }
        var req = request()
        req.fixedInputs[port] = value.type
        guard let instance = solver.solve(req, using: &rng) else { return false }
        add(instance, consuming: [port: value.name], replacing: nil, &rng)
        return true
    }
}
