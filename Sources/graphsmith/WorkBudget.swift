import ArgumentParser
import Foundation
import ModelIR
import Reference
import TensorCore

/// `--max-work` and `--max-memory`: how much a user's model may cost on the reference interpreter (and the in-repo
/// compiler's executors) before `run` starts it. A model over either budget is refused with one line naming the node
/// that makes it too big, instead of running for hours or being killed for its memory.
///
/// The default work budget keeps a refused model's would-be run beyond minutes: the reference evaluates about 10^6
/// operations a second (measured: a 256^3 MatMul, 1.8e8 operations, took 326 s in a debug build on a loaded 2-core
/// machine; a release build is several times faster), so 2^30 is minutes to an hour. 4 GiB of tensors fits a CI machine.
struct WorkBudgetOptions: ParsableArguments {
    /// The default work budget: 2^30 scalar operations.
    static let defaultMaxWork = 1 << 30
    /// The default memory budget: 4 GiB of tensors.
    static let defaultMaxMemoryMiB = 4096

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Largest estimated number of scalar operations (expression nodes evaluated) a model may need on the reference "
            + "or the in-repo compiler (default 2^30 = \(defaultMaxWork)).",
        valueName: "n"))
    var maxWork = defaultMaxWork

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Largest estimated memory of a model's tensors, in MiB, on the reference or the in-repo compiler (default \(defaultMaxMemoryMiB)).",
        valueName: "mib"))
    var maxMemory = defaultMaxMemoryMiB

    /// Refuses `typed` when its estimated work or memory is over budget; `label` names the model in the error.
    func check(_ typed: TypedModel, label: String) throws {
        try FlagChecks.atLeast(1, maxWork, "--max-work")
        try FlagChecks.atLeast(1, maxMemory, "--max-memory")
        let works = WorkEstimate.nodes(typed)
        try checkWork(typed, works, label: label)
        try checkMemory(typed, works, label: label)
    }

    /// Refuses `typed` when constant folding (which evaluates, on the reference, every node whose inputs are all
    /// weights and whose outputs have at most `foldLimit` elements) would need more than `--max-work`: a chain of
    /// small constant MatMuls can keep `compile` busy for hours although the model's file is tiny.
    static func checkFolding(_ typed: TypedModel, maxWork: Int, foldLimit: Int, label: String) throws {
        try FlagChecks.atLeast(1, maxWork, "--max-work")
        var constants = Set(typed.model.weights.map(\.name))
        var folded: [(node: Node, operations: Int)] = []
        for (node, instance) in zip(typed.model.nodes, typed.instances) {
            let size = instance.outputTypes.reduce(0) { WorkEstimate.add($0, $1.count) }
            guard size <= foldLimit, node.inputs.allSatisfy(constants.contains) else { continue }
            folded.append((node, WorkEstimate.node(instance).operations))
            constants.formUnion(node.outputs.map(\.name))
        }
        let total = folded.reduce(0) { WorkEstimate.add($0, $1.operations) }
        guard total > maxWork, let largest = folded.max(by: { $0.operations < $1.operations }) else { return }
        throw UserError("\(label): constant folding needs about \(amount(total)) scalar operations, over the work budget of "
            + "\(amount(maxWork)); the largest node is \(describe(largest.node)) with about \(amount(largest.operations)) "
            + "(raise the budget with --max-work, or --disable-pass constant-folding)")
    }

    /// The total operations against `--max-work`, naming the costliest node.
    private func checkWork(_ typed: TypedModel, _ works: [NodeWork], label: String) throws {
        let total = works.reduce(0) { WorkEstimate.add($0, $1.operations) }
        guard total > maxWork, let k = works.indices.max(by: { works[$0].operations < works[$1].operations }) else { return }
        throw UserError("\(label): about \(Self.amount(total)) scalar operations, over the work budget of \(Self.amount(maxWork)); "
            + "the largest node is \(Self.describe(typed.model.nodes[k])) with about \(Self.amount(works[k].operations)) "
            + "(raise the budget with --max-work)")
    }

    /// The tensors live while each node runs (every earlier value is kept, as the reference does) against
    /// `--max-memory`, naming the first node at which they exceed it, or the largest input or weight.
    private func checkMemory(_ typed: TypedModel, _ works: [NodeWork], label: String) throws {
        let budget = WorkEstimate.times(maxMemory, 1 << 20)
        let model = typed.model
        let given = model.inputs.map { ($0.name, $0.type.count) } + model.weights.map { ($0.name, $0.value.count) }
        var live = given.reduce(0) { WorkEstimate.add($0, WorkEstimate.storedBytes($1.1)) }
        if live > budget, let largest = given.max(by: { $0.1 < $1.1 }) {
            throw memoryError(label, live, at: "the inputs and weights alone (the largest is '\(largest.0)')")
        }
        for (node, work) in zip(model.nodes, works) {
            let peak = WorkEstimate.add(live, WorkEstimate.transientBytes(work))
            if peak > budget { throw memoryError(label, peak, at: "node \(Self.describe(node))") }
            live = WorkEstimate.add(live, WorkEstimate.storedBytes(work.outputElements))
        }
    }

    private func memoryError(_ label: String, _ bytes: Int, at place: String) -> UserError {
        UserError("\(label): about \(Self.mebibytes(bytes)) MiB of tensors at \(place), over the memory budget of "
            + "\(maxMemory) MiB (raise the budget with --max-memory)")
    }

    /// `'y' (MatMul, f32[4096, 4096])`: a node by its first output, as the text format names it.
    static func describe(_ node: Node) -> String {
        let first = node.outputs.first
        return "'\(first?.name ?? "?")' (\(node.op)\(first.map { ", \($0.type)" } ?? ""))"
    }

    /// A count for people: exact below a million, else like `6.9e10`.
    static func amount(_ n: Int) -> String {
        if n < 1_000_000 { return "\(n)" }
        let s = String(format: "%.1e", Double(n))
        return s.replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

    /// Bytes as whole MiB, rounded up.
    static func mebibytes(_ bytes: Int) -> Int { bytes / (1 << 20) + (bytes % (1 << 20) == 0 ? 0 : 1) }
}
