import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// What running one node on the reference costs, estimated from its spec before anything is allocated.
public struct NodeWork: Sendable, Hashable {
    /// Scalar operations: expression nodes the reference evaluates over every element of every stage and output
    /// (a reduction counts its body once per iteration). Saturates at `Int.max`.
    public var operations: Int
    /// Elements of the node's outputs, which the reference keeps until the run ends.
    public var outputElements: Int
    /// Elements of the node's stages, which live only while the node runs.
    public var stageElements: Int
}

/// Estimates the reference interpreter's work and memory for a model from its operators' specs, so that a model
/// that cannot finish is refused before any tensor is allocated.
///
/// The count is per element of each definition (`stage` and `compute`): one operation per expression node, a
/// reduction's body counted once per iteration of its binders. Binder bounds are evaluated with the instance's
/// constants; a bound that needs the element's indices is evaluated at index 0 (a good estimate for the specs'
/// bounds, which are dims and attributes). All arithmetic saturates, so a hostile shape cannot trap.
public enum WorkEstimate {
    /// Bytes the reference holds per element of a finished tensor (one bit pattern each).
    public static let bytesPerStoredElement = 8
    /// Bytes per element of a stage or of an output being computed (a `Scalar` each, before it becomes bits).
    public static let bytesPerComputedElement = MemoryLayout<Scalar>.stride

    /// The estimate of one node.
    public static func node(_ instance: OpInstance) -> NodeWork {
        var ops = 0, outputs = 0, stages = 0
        for stage in instance.stages {
            let shape = instance.stageShapes[stage.target] ?? []
            let count = elements(shape)
            stages = add(stages, count)
            let each = cost(stage.body, instance, zeros(stage, instance.segments[stage.target] ?? []))
            ops = add(ops, times(count, add(1, each)))
        }
        for (port, type) in zip(instance.spec.outputs, instance.outputTypes) {
            outputs = add(outputs, type.count)
            guard let def = instance.compute(port.name) else { continue }
            let each = cost(def.body, instance, zeros(def, instance.segments[port.name] ?? []))
            ops = add(ops, times(type.count, add(1, each)))
        }
        return NodeWork(operations: ops, outputElements: outputs, stageElements: stages)
    }

    /// The estimate of every node of a verified model, in node order.
    public static func nodes(_ typed: TypedModel) -> [NodeWork] {
        typed.instances.map(node)
    }

    /// Bytes of a tensor of `count` stored elements.
    public static func storedBytes(_ count: Int) -> Int { times(count, bytesPerStoredElement) }

    /// Bytes a node needs on top of what is already stored while it runs: its stages and its outputs as scalars.
    public static func transientBytes(_ work: NodeWork) -> Int {
        times(add(work.stageElements, work.outputElements), bytesPerComputedElement)
    }

    /// Operations to evaluate `e` once.
    static func cost(_ e: Expr, _ instance: OpInstance, _ locals: [String: Value]) -> Int {
        switch e.kind {
        case .integer, .real, .string, .name: return 1
        case .unary(_, let a): return add(1, cost(a, instance, locals))
        case .binary(_, let a, let b): return add(1, add(cost(a, instance, locals), cost(b, instance, locals)))
        case .conditional(let c, let a, let b):
            return add(1, add(cost(c, instance, locals), max(cost(a, instance, locals), cost(b, instance, locals))))
        case .call(_, let args), .vector(let args): return args.reduce(1) { add($0, cost($1, instance, locals)) }
        case .read(_, let items, let fallback):
            let index = items.reduce(1) { add($0, cost($1.expr, instance, locals)) }
            return add(index, fallback.map { cost($0, instance, locals) } ?? 0)
        case .reduce(_, let binders, let body):
            var inner = locals
            var iterations = 1
            for b in binders {
                let extent = self.extent(b, instance, inner)
                iterations = times(iterations, extent.count)
                inner[b.name] = extent.zero
            }
            return add(1, times(iterations, add(1, cost(body, instance, inner))))
        }
    }

    /// How many values a binder takes, and its first value (for bounds of inner binders that name it).
    private static func extent(_ b: Binder, _ instance: OpInstance, _ locals: [String: Value]) -> (count: Int, zero: Value) {
        guard let bound = try? instance.evaluator.eval(b.bound, locals) else { return (largestDim(instance), .int(0)) }
        if b.isVector, let shape = try? bound.asVector() {
            return (elements(shape.map { max($0, 0) }), .vector(Array(repeating: 0, count: shape.count)))
        }
        return (max((try? bound.asInt()) ?? largestDim(instance), 0), .int(0))
    }

    /// The fallback extent of a bound that cannot be evaluated: the largest dim of any input or output.
    private static func largestDim(_ instance: OpInstance) -> Int {
        (instance.inputTypes + instance.outputTypes).flatMap(\.shape).max() ?? 1
    }

    /// A definition's index variables, all at index 0.
    private static func zeros(_ def: Definition, _ segments: [Range<Int>]) -> [String: Value] {
        var locals: [String: Value] = [:]
        for (v, segment) in zip(def.indices, segments) {
            locals[v.name] = v.isVector ? .vector(Array(repeating: 0, count: segment.count)) : .int(0)
        }
        return locals
    }

    private static func elements(_ shape: [Int]) -> Int { shape.reduce(1, times) }

    /// Saturating addition.
    public static func add(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : r
    }

    /// Saturating multiplication.
    public static func times(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : r
    }
}
