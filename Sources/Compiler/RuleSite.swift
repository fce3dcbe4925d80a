import ModelIR
import SpecLib
import TensorCore

/// A verified model indexed for matching and edited in place by rewrites.
///
/// Nodes are addressed by a stable id (their index in the model the site was built from, then new ids for created
/// nodes) and kept in model order by a linked list, so a rewrite costs time in its own size, not the model's: the
/// earlier engine rebuilt and re-verified the whole model after every rewrite, which made a chain of N collapsible
/// nodes (`Relu(Relu(...))`) cost O(N²).
struct RuleSite {
    /// Every node ever present, by id; a removed node stays here but leaves the order.
    private(set) var nodes: [Node]
    /// Each node's instance (attributes with defaults filled), by id.
    private(set) var instances: [OpInstance]
    /// The id of the node that produces each value.
    private(set) var producers: [String: Int]
    /// The type of every value (a removed value may linger; no present node reads it).
    private(set) var types: [String: TensorType]
    /// Ids of nodes that read each value; may hold removed nodes and repeats, which are skipped.
    private var readers: [String: [Int]] = [:]
    /// Every value name in the model now, for fresh names.
    private(set) var taken: Set<String>
    /// The order: `next[id]` and `previous[id]` (nil at the ends), and the first id.
    private var next: [Int?], previous: [Int?]
    private(set) var first: Int?
    private var tail: Int?
    private var removed: [Bool]
    private let base: Model
    private var outputs: [String]

    init(_ typed: TypedModel) {
        let model = typed.model
        base = model
        nodes = model.nodes
        instances = typed.instances
        producers = model.producers
        types = model.valueTypes
        taken = model.valueNames
        outputs = model.outputs
        let n = model.nodes.count
        next = (0..<n).map { $0 + 1 < n ? $0 + 1 : nil }
        previous = (0..<n).map { $0 > 0 ? $0 - 1 : nil }
        first = n > 0 ? 0 : nil
        tail = n > 0 ? n - 1 : nil
        removed = Array(repeating: false, count: n)
        for (k, node) in model.nodes.enumerated() { for i in node.inputs { readers[i, default: []].append(k) } }
    }

    /// The node after `id` in model order.
    func after(_ id: Int) -> Int? { next[id] }

    /// The model as it is now: nodes in order, outputs redirected.
    var model: Model {
        var m = base
        m.nodes = []
        var k = first
        while let id = k {
            m.nodes.append(nodes[id])
            k = next[id]
        }
        m.outputs = outputs
        return m
    }

    /// Applies `rewrite` and returns where scanning resumes: the first created node, else the node after the
    /// removed root. Nodes before that point are unchanged, and so are the nodes their matches look at
    /// (producers come before their readers), so a scan from the start would find nothing new before it.
    mutating func apply(_ rewrite: RuleRewrite) -> Int? {
        let old = rewrite.root
        for o in nodes[old].outputs { taken.remove(o.name) }
        var insertBefore = next[old]
        unlink(old)
        var firstCreated: Int?
        for (node, instance) in zip(rewrite.created, rewrite.instances) {
            let id = append(node, instance, before: insertBefore)
            firstCreated = firstCreated ?? id
            insertBefore = next[id]
        }
        if let result = rewrite.redirect { redirect(nodes[old].outputs[0].name, to: result) }
        return firstCreated ?? insertBefore
    }

    /// Adds `node` just before `successor` (at the end when nil) and indexes it.
    private mutating func append(_ node: Node, _ instance: OpInstance, before successor: Int?) -> Int {
        let id = nodes.count
        nodes.append(node)
        instances.append(instance)
        removed.append(false)
        let predecessor = if let s = successor { previous[s] } else { tail }
        next.append(successor)
        previous.append(predecessor)
        if let p = predecessor { next[p] = id } else { first = id }
        if let s = successor { previous[s] = id } else { tail = id }
        for o in node.outputs {
            producers[o.name] = id
            types[o.name] = o.type
            taken.insert(o.name)
        }
        for i in node.inputs { readers[i, default: []].append(id) }
        return id
    }

    /// Takes node `id` out of the order.
    private mutating func unlink(_ id: Int) {
        removed[id] = true
        if let p = previous[id] { next[p] = next[id] } else { first = next[id] }
        if let n = next[id] { previous[n] = previous[id] } else { tail = previous[id] }
        for o in nodes[id].outputs where producers[o.name] == id { producers[o.name] = nil }
    }

    /// Every present read of `name` (node inputs and model outputs) now reads `result`.
    private mutating func redirect(_ name: String, to result: String) {
        for r in readers.removeValue(forKey: name) ?? [] where !removed[r] && nodes[r].inputs.contains(name) {
            nodes[r].inputs = nodes[r].inputs.map { $0 == name ? result : $0 }
            readers[result, default: []].append(r)
        }
        outputs = outputs.map { $0 == name ? result : $0 }
    }
}

/// What one rewrite does: the root node it removes, the nodes it creates in its place (in order, named), and,
/// when the right side is an existing value, that value, which the root's readers read instead.
struct RuleRewrite {
    var root: Int
    var created: [Node]
    var instances: [OpInstance]
    var redirect: String?
}
