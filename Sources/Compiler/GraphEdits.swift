import ModelIR

/// Small graph queries and edits the passes share.
extension Model {
    /// How many times each value is read: once per node input slot and once per model output entry.
    var useCounts: [String: Int] {
        var uses: [String: Int] = [:]
        for n in nodes { for i in n.inputs { uses[i, default: 0] += 1 } }
        for o in outputs { uses[o, default: 0] += 1 }
        return uses
    }

    /// The index of the node that produces each node output.
    var producers: [String: Int] {
        var out: [String: Int] = [:]
        for (k, n) in nodes.enumerated() { for o in n.outputs { out[o.name] = k } }
        return out
    }

    /// Every name a value of the model has (inputs, weights and node outputs).
    var valueNames: Set<String> {
        var names = Set(inputs.map(\.name))
        names.formUnion(weights.map(\.name))
        for n in nodes { names.formUnion(n.outputs.map(\.name)) }
        return names
    }

    /// The model with every read of a value in `replacements` redirected to its replacement
    /// (node inputs and model outputs). Chains `a -> b -> c` resolve to `c`.
    func redirecting(_ replacements: [String: String]) -> Model {
        guard !replacements.isEmpty else { return self }
        func resolve(_ name: String) -> String {
            var n = name
            var steps = 0
            while let next = replacements[n], steps <= replacements.count { n = next; steps += 1 }
            return n
        }
        var m = self
        for k in m.nodes.indices { m.nodes[k].inputs = m.nodes[k].inputs.map(resolve) }
        m.outputs = m.outputs.map(resolve)
        return m
    }
}

/// Makes value names that collide with nothing in the model, deterministically (`base_1`, `base_2`, ...).
struct FreshNames {
    /// Names in the model, shared with the caller (never mutated here, so never copied).
    private let taken: Set<String>
    /// Names made so far.
    private var made: Set<String> = []

    init(_ model: Model) { taken = model.valueNames }

    /// Names avoiding `taken`, the value names of a model.
    init(taken: Set<String>) { self.taken = taken }

    mutating func make(_ base: String) -> String {
        var k = 1
        while taken.contains("\(base)_\(k)") || made.contains("\(base)_\(k)") { k += 1 }
        let name = "\(base)_\(k)"
        made.insert(name)
        return name
    }
}
