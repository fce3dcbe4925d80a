import LoopIR
import ModelIR
import SpecLib

/// A partition of a model's nodes into fused kernels, by node index.
///
/// The fusion rule, explicit because fault injection breaks it on purpose: an edge from producer P to consumer C
/// fuses only when (1) P's output has exactly one use in the whole model (C reads it once and it is not a model
/// output), (2) C is injective, and (3) P is injective or a reduction, and the merged group holds at most one
/// reduction. So every group is a tree whose members, except its root (the last member), are read only inside it.
/// Planning also keeps groups within `maxGroupSize` nodes (a cost policy, not part of the rule).
public struct FusionGroups: Hashable, Sendable, CustomStringConvertible {
    /// One fused kernel.
    public struct Group: Hashable, Sendable {
        /// Member node indices, ascending; the last is the root, the only member read outside the group.
        public var nodes: [Int]
        /// The member whose output leaves the group.
        public var root: Int { nodes.last! }
        /// A group of these node indices (sorted).
        public init(nodes: [Int]) { self.nodes = nodes.sorted() }
    }

    /// The most nodes one group may hold. A group becomes one C function, and the C compiler's time grows faster
    /// than linearly in a function's size (a fused 5,000-node element-wise chain took three times as long per
    /// node as 2,000 unfused ones); longer chains split into several groups. Models the generator makes are far
    /// smaller, so their grouping is unchanged.
    public static let maxGroupSize = 512

    /// The groups, ordered by root.
    public var groups: [Group]

    /// A grouping from explicit groups (tests build broken ones to check `problem`).
    public init(groups: [Group]) { self.groups = groups.sorted { $0.root < $1.root } }

    /// Every node alone: what runs when fusion is off.
    public static func unfused(_ model: Model) -> FusionGroups {
        FusionGroups(groups: model.nodes.indices.map { Group(nodes: [$0]) })
    }

    /// Whether an edge may fuse: the rule above, for one value with `uses` reads.
    public static func canFuse(producer: OpClass, consumer: OpClass, uses: Int) -> Bool {
        uses == 1 && consumer == .injective && producer != .opaque
    }

    /// Groups the nodes of `model` by the fusion rule.
    ///
    /// Consumers are visited in order of their first output's name, not node order, so the grouping does not
    /// depend on how the nodes are ordered (the fusion pass reorders them, and the grouping must survive that).
    public static func plan(_ typed: TypedModel, rule: FusionRule = .standard) -> FusionGroups {
        let model = typed.model
        let classes = typed.instances.map { OpClass.of($0.spec) }
        let uses = model.useCounts, producers = model.producers
        var parent = Array(model.nodes.indices)
        var reductions = classes.map { $0 == .reduction ? 1 : 0 }
        var sizes = Array(repeating: 1, count: model.nodes.count)
        // Path halving: which member stands for a set never shows in the groups, and without it a chain whose
        // consumers are visited out of order (by name) walks O(N) parents per lookup.
        func find(_ k: Int) -> Int {
            var r = k
            while parent[r] != r {
                parent[r] = parent[parent[r]]
                r = parent[r]
            }
            return r
        }
        let order = model.nodes.indices.sorted { model.nodes[$0].outputs[0].name < model.nodes[$1].outputs[0].name }
        for c in order {
            for input in model.nodes[c].inputs {
                guard let p = producers[input], rule.fuses(producer: classes[p], consumer: classes[c], uses: uses[input] ?? 0)
                else { continue }
                let (a, b) = (find(p), find(c))
                guard a != b, reductions[a] + reductions[b] <= 1, sizes[a] + sizes[b] <= maxGroupSize else { continue }
                parent[a] = b
                reductions[b] += reductions[a]
                sizes[b] += sizes[a]
            }
        }
        var members: [Int: [Int]] = [:]
        for k in model.nodes.indices { members[find(k), default: []].append(k) }
        return FusionGroups(groups: members.values.map { Group(nodes: $0) })
    }

    /// Why the grouping breaks the fusion rule for `model`, or nil when it holds.
    public func problem(in model: Model, library: SpecLibrary) -> String? {
        guard let classes = try? Self.classes(model, library) else { return "the model does not verify" }
        let all = groups.flatMap(\.nodes)
        guard all.sorted() == Array(model.nodes.indices) else { return "the groups do not partition the nodes" }
        let uses = model.useCounts
        var readersOf: [String: [Int]] = [:]
        for (k, node) in model.nodes.enumerated() { for i in Set(node.inputs) { readersOf[i, default: []].append(k) } }
        for g in groups {
            let inGroup = Set(g.nodes)
            if g.nodes.filter({ classes[$0] == .reduction }).count > 1 { return "group of node \(g.root) holds several reductions" }
            for k in g.nodes where k != g.root {
                let node = model.nodes[k]
                let name = node.outputs[0].name
                let readers = readersOf[name] ?? []
                guard classes[k] != .opaque, uses[name] == 1, readers.count == 1, inGroup.contains(readers[0]),
                      classes[readers[0]] == .injective else {
                    return "node \(k) ('\(name)') is fused into group of node \(g.root) but breaks the single-consumer rule"
                }
            }
        }
        return nil
    }

    static func classes(_ model: Model, _ library: SpecLibrary) throws -> [OpClass] {
        try Verifier.verify(model, library: library).map { OpClass.of($0.spec) }
    }

    /// `[0] [1, 2, 3]`: the member indices of each group.
    public var description: String {
        groups.map { "[" + $0.nodes.map(String.init).joined(separator: ", ") + "]" }.joined(separator: " ")
    }
}
