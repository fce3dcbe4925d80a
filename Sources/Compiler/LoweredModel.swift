import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// A model lowered for the kernel executors: each fusion group (by default each node alone) is one operator, and
/// values live in storage slots that `buffer-reuse` hands on once their last reader ran.
public struct LoweredModel: Sendable {
    /// One lowered group: what it reads and writes, by value name.
    struct Step: Sendable {
        var op: LoweredOp
        var reads: [String]
        var writes: [String]
    }

    /// The operators, one per step, in the order they run (computed: read it once, not per step).
    public var ops: [LoweredOp] { steps.map(\.op) }
    let steps: [Step]
    let model: Model
    let slots: [String: Int]

    /// Verifies and lowers `model`; `groups` partitions its node indices (members in order, root last; nil: every
    /// node alone).
    public init(_ model: Model, library: SpecLibrary, groups: [[Int]]?, options: LoweringOptions) throws {
        try self.init(TypedModel(model, library: library), groups: groups, options: options)
    }

    /// Lowers a verified model; `groups` partitions its node indices (nil: every node alone).
    public init(_ typed: TypedModel, groups: [[Int]]?, options: LoweringOptions) throws {
        let model = typed.model, instances = typed.instances
        // The types are read once here: reading them per fused group made many small groups cost O(N²).
        let types = model.valueTypes
        steps = try (groups ?? model.nodes.indices.map { [$0] }).map { try Self.step($0, model, instances, types, options) }
        self.model = model
        let given = model.inputs.map(\.name) + model.weights.map(\.name)
        slots = BufferReuse.plan(steps.map { BufferReuse.Step(reads: $0.reads, writes: $0.writes) }, given: given,
                                 kept: Set(model.outputs), reuse: LoopPass.runs(BufferReuse.name, options), liveness: options.variants.liveness)
        if let log = options.feedback { record(log) }
    }

    /// Notes the paths each step's lowering took, the fused groups' shapes, and whether buffer reuse shared storage.
    private func record(_ log: FeedbackLog) {
        for step in steps {
            for path in step.op.paths { log.record("path", path) }
            if step.op.op.contains("+") { log.record("group", step.op.op + ":" + (step.op.outputTypes.first?.dtype.rawValue ?? "")) }
        }
        if Set(slots.values).count < slots.count { log.record("loop", BufferReuse.name) }
    }

    /// Runs the steps in order, each through `runStep` (the VM or native code).
    public func run(inputs: [String: Tensor], runStep: (_ step: Int, _ inputs: [Tensor]) throws -> [Tensor]) throws -> [Tensor] {
        var storage = [Tensor?](repeating: nil, count: (slots.values.max() ?? -1) + 1)
        for (name, t) in inputs { if let s = slots[name] { storage[s] = t } }
        for w in model.weights { storage[slots[w.name]!] = w.value }
        func value(_ name: String) throws -> Tensor {
            guard let s = slots[name], let t = storage[s] else { throw ExecutionError("value '\(name)' was never computed") }
            return t
        }
        for (k, step) in steps.enumerated() {
            let outputs: [Tensor]
            do { outputs = try runStep(k, try step.reads.map(value)) } catch let e as ExecutionError { throw e } catch {
                throw ExecutionError("\(step.op.op): \(error)")
            }
            for (name, t) in zip(step.writes, outputs) { storage[slots[name]!] = t }
        }
        return try model.outputs.map(value)
    }

    /// The group `members` lowered to one operator; it reads the values its members take from outside the group.
    static func step(_ members: [Int], _ model: Model, _ instances: [OpInstance], _ types: [String: TensorType],
                     _ options: LoweringOptions) throws -> Step {
        if members.count == 1 {
            let node = model.nodes[members[0]]
            return Step(op: try Lowering.lower(instances[members[0]], options: options), reads: node.inputs, writes: node.outputs.map(\.name))
        }
        var produced: [String: Int] = [:]
        var reads: [String] = []
        var fused: [FusedMember] = []
        for (m, k) in members.enumerated() {
            let sources: [FusedInput] = model.nodes[k].inputs.map { name in
                if let j = produced[name] { return .member(j) }
                if let e = reads.firstIndex(of: name) { return .external(e) }
                reads.append(name)
                return .external(reads.count - 1)
            }
            fused.append(FusedMember(instance: instances[k], inputs: sources))
            for o in model.nodes[k].outputs { produced[o.name] = m }
        }
        let op = try FusedLowering.lower(fused, inputTypes: reads.map { types[$0]! }, options: options)
        return Step(op: op, reads: reads, writes: model.nodes[members.last!].outputs.map(\.name))
    }
}
