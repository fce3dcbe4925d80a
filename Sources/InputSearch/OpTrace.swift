import Foundation
import SpecLang
import SpecLib
import TensorCore

/// An operator instance's expressions annotated for a given set of differentiable inputs.
final class CompiledOp: @unchecked Sendable {
    let instance: OpInstance
    let activeInputs: [Bool]
    let stages: [GradExpr]
    let stageActive: [Bool]
    /// The compute definition of each output, in output order.
    let computes: [GradExpr]
    let stagePlans: [DefinitionPlan]
    let computePlans: [DefinitionPlan]

    init(_ instance: OpInstance, activeInputs: [Bool]) {
        self.instance = instance
        self.activeInputs = activeInputs
        let spec = instance.spec
        var names = Set(zip(instance.inputPorts, activeInputs).filter(\.1).map(\.0.name))
        let tensors = instance.inputPorts.map(\.name) + spec.file.stages.map(\.target)
        let slots = Dictionary(tensors.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var stages: [GradExpr] = []
        for stage in instance.stages {
            let g = GradExpr(stage.body, active: names, slots: slots)
            if g.active { names.insert(stage.target) }
            stages.append(g)
        }
        self.stages = stages
        stageActive = stages.map(\.active)
        let defs = spec.outputs.map { port in instance.compute(port.name)! }
        computes = defs.map { GradExpr($0.body, active: names, slots: slots) }
        var shapes = instance.stageShapes
        for (port, type) in zip(instance.inputPorts, instance.inputTypes) { shapes[port.name] = type.shape }
        stagePlans = zip(instance.stages, stages).map { def, g in
            DefinitionPlan(g, def, shape: instance.stageShapes[def.target]!, segments: instance.segments[def.target]!,
                           instance: instance, shapes: shapes)
        }
        computePlans = zip(zip(defs, computes), instance.outputTypes).map { pair, type in
            DefinitionPlan(pair.1, pair.0, shape: type.shape, segments: instance.segments[pair.0.target]!, instance: instance, shapes: shapes)
        }
    }
}

/// One instance evaluated with a tape.
struct OpTraceResult {
    /// The outputs as the reference interpreter stores them (rounded to their dtypes).
    var outputs: [Tensor]
    /// Each output's elements before rounding.
    var raw: [[Scalar]]
    /// Each output's tape entries (-1 where an element has no gradient).
    var ids: [[Int32]]
    /// The hash of the discrete choices made, when recorded.
    var decisions: UInt64
    /// The first integer overflow, when watched (`Options.watchOverflow`) and one happened.
    var overflow: String?
}

/// Evaluates an instance like `OpEvaluation`, giving bit-identical outputs, and records its gradients.
enum OpTrace {
    struct Options {
        var proxy = true
        var roundCasts = true
        var recordDecisions = false
        /// Report integer overflow (`OverflowMonitor`) of instances with integer outputs.
        var watchOverflow = false
        /// Uptime in nanoseconds after which the evaluation stops with `OpTrace.Timeout`.
        var deadline: UInt64 = .max
    }

    /// The deadline passed in the middle of an operator.
    struct Timeout: Error {}

    /// `views` and `ids` hold one entry per spec input (ids nil for an input without gradient).
    static func run(_ op: CompiledOp, views: [TensorView], ids: [[Int32]?], tape: inout Tape, options: Options) throws -> OpTraceResult {
        let instance = op.instance, spec = instance.spec
        var te = TapeEvaluator(ev: instance.evaluator, tape: Tape(), proxy: options.proxy)
        swap(&te.tape, &tape)
        defer { swap(&te.tape, &tape) }
        te.roundCasts = options.roundCasts
        te.recordDecisions = options.recordDecisions
        te.deadline = options.deadline
        if options.watchOverflow && instance.computesIntegers { te.ev.monitor = OverflowMonitor() }
        let inputCount = instance.inputPorts.count
        te.slotViews = [TensorView?](repeating: nil, count: inputCount + spec.file.stages.count)
        te.slotIds = [[Int32]?](repeating: nil, count: te.slotViews.count)
        for (k, port) in instance.inputPorts.enumerated() {
            te.ev.tensors[port.name] = views[k]
            te.slotViews[k] = views[k]
            if op.activeInputs[k], let i = ids[k] { te.slotIds[k] = i }
        }
        do {
            for (k, stage) in instance.stages.enumerated() {
                let shape = instance.stageShapes[stage.target]!
                let segments = instance.segments[stage.target]!
                te.ev.monitor?.begin(output: nil, of: instance)
                let (values, stageIds) = try elements(op.stages[k], op.stagePlans[k], stage.indices, shape: shape, segments: segments, &te)
                let view = TensorView(shape: shape, segments: segments) { values[$0] }
                te.ev.tensors[stage.target] = view
                te.slotViews[inputCount + k] = view
                if op.stageActive[k] { te.slotIds[inputCount + k] = stageIds }
            }
            var result = OpTraceResult(outputs: [], raw: [], ids: [], decisions: 0)
            for (k, (port, type)) in zip(spec.outputs, instance.outputTypes).enumerated() {
                let def = instance.compute(port.name)!
                te.ev.monitor?.begin(output: type.dtype, of: instance)
                let (values, outIds) = try elements(op.computes[k], op.computePlans[k], def.indices, shape: type.shape,
                                                    segments: instance.segments[port.name]!, &te)
                result.outputs.append(Tensor(dtype: type.dtype, shape: type.shape, scalars: values))
                result.raw.append(values)
                result.ids.append(outIds)
            }
            result.decisions = te.decisions
            result.overflow = te.ev.monitor?.first
            return result
        } catch let e as EvalError {
            throw EvalError("\(spec.name): \(e.message)")
        }
    }

    /// Every element of a definition in row-major order, with its tape entry.
    private static func elements(_ body: GradExpr, _ plan: DefinitionPlan, _ indices: [IndexVariable], shape: [Int],
                                 segments: [Range<Int>], _ te: inout TapeEvaluator) throws -> ([Scalar], [Int32]) {
        let count = shape.reduce(1, *)
        var out: [Scalar] = [], ids: [Int32] = []
        out.reserveCapacity(count)
        ids.reserveCapacity(count)
        te.index = Array(repeating: 0, count: plan.dims)
        var locals: [String: Value] = [:]
        for n in 0..<count {
            // The clock is read every 64 elements: cheap, and fine-grained enough for a budget of milliseconds.
            if n & 63 == 63, te.deadline != .max, DispatchTime.now().uptimeNanoseconds > te.deadline { throw Timeout() }
            if plan.needsLocals {
                for (v, seg) in zip(indices, segments) {
                    locals[v.name] = v.isVector ? .vector(Array(te.index[seg])) : .int(te.index[seg.lowerBound])
                }
            }
            let d = try te.eval(body, locals)
            let x = try d.value.asScalar()
            te.ev.monitor?.store(x)
            out.append(x)
            ids.append(d.id)
            var k = shape.count - 1
            while k >= 0 {
                te.index[k] += 1
                if te.index[k] < shape[k] { break }
                te.index[k] = 0
                k -= 1
            }
        }
        return (out, ids)
    }
}
