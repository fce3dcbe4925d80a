import SpecLang
import SpecLib
import TensorCore

/// A failure of the reference interpreter on a concrete node (bad index, division by zero, wrong input).
public struct ReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Evaluates one instantiated operator naively: every element of every stage and output, from the spec's expressions.
///
/// Floating values are computed in float64 and rounded to the output dtype only when stored;
/// stages are kept unrounded. Obviously correct before fast: each definition's body is compiled once
/// (`CompiledExpr`), which computes what the spec interpreter `Evaluator.eval` computes, step for step;
/// `evaluateStraightforwardly` runs the interpreter itself, the specification the compiled form is tested against.
public enum OpEvaluation {
    /// `binaryOverride` replaces binary scalar operators where it returns a value (see `Evaluator.binaryOverride`).
    public static func evaluate(_ instance: OpInstance, inputs: [Tensor],
                                binaryOverride: (@Sendable (String, Scalar, Scalar) -> Scalar?)? = nil) throws -> [Tensor] {
        try run(instance, inputs, binaryOverride, monitor: nil)
    }

    /// `evaluate` with every element read from the spec interpreter (`Evaluator.eval`), nothing compiled: slower,
    /// and the specification `evaluate` must match bit for bit.
    /// Like `evaluateReportingOverflow`, the overflow included.
    public static func evaluateStraightforwardly(_ instance: OpInstance, inputs: [Tensor]) throws -> (outputs: [Tensor], overflow: String?) {
        let monitor = instance.computesIntegers ? OverflowMonitor() : nil
        let outputs = try run(instance, inputs, nil, monitor: monitor, compiled: false)
        return (outputs, monitor?.first)
    }

    /// Evaluates like `evaluate` (the same values) and says whether an integer value overflowed, described
    /// (see `OverflowMonitor`); nil when none did. Only instances with integer outputs are watched.
    public static func evaluateReportingOverflow(_ instance: OpInstance, inputs: [Tensor]) throws -> (outputs: [Tensor], overflow: String?) {
        let monitor = instance.computesIntegers ? OverflowMonitor() : nil
        let outputs = try run(instance, inputs, nil, monitor: monitor)
        return (outputs, monitor?.first)
    }

    private static func run(_ instance: OpInstance, _ inputs: [Tensor], _ binaryOverride: (@Sendable (String, Scalar, Scalar) -> Scalar?)?,
                            monitor: OverflowMonitor?, compiled: Bool = true) throws -> [Tensor] {
        let spec = instance.spec
        guard inputs.map(\.type) == instance.inputTypes else {
            throw ReferenceError("\(spec.name): inputs \(inputs.map(\.type)) do not match the instance's \(instance.inputTypes)")
        }
        var ev = instance.evaluator
        ev.binaryOverride = binaryOverride
        ev.monitor = monitor
        for (port, tensor) in zip(instance.inputPorts, inputs) {
            ev.tensors[port.name] = TensorView(tensor, segments: instance.segments[port.name]!)
        }
        do {
            for stage in instance.stages {
                let shape = instance.stageShapes[stage.target]!
                let segments = instance.segments[stage.target]!
                monitor?.begin(output: nil, of: instance)
                let values = try elements(of: stage, shape: shape, segments: segments, ev, compiled: compiled)
                ev.tensors[stage.target] = TensorView(shape: shape, segments: segments) { values[$0] }
            }
            var outputs: [Tensor] = []
            for (port, type) in zip(spec.outputs, instance.outputTypes) {
                let def = instance.compute(port.name)!
                monitor?.begin(output: type.dtype, of: instance)
                let values = try elements(of: def, shape: type.shape, segments: instance.segments[port.name]!, ev, compiled: compiled)
                outputs.append(Tensor(dtype: type.dtype, shape: type.shape, scalars: values))
            }
            return outputs
        } catch let e as EvalError {
            throw ReferenceError("\(spec.name): \(e.message)")
        }
    }

    /// Nil when every stage with a `domain` (`domain Sd: ...`) lies inside it for these inputs; else which stage
    /// element does not. The condition reads the stage's element and the elements of the other stages of the same
    /// shape at the same index. Stages only: input domains are `DomainInputs.holds`.
    public static func stageDomainViolation(_ instance: OpInstance, inputs: [Tensor]) throws -> String? {
        let spec = instance.spec
        let domains = spec.file.domains.filter { d in instance.stages.contains { $0.target == d.tensor } }
        guard !domains.isEmpty, inputs.map(\.type) == instance.inputTypes else { return nil }
        var ev = instance.evaluator
        for (port, tensor) in zip(instance.inputPorts, inputs) {
            ev.tensors[port.name] = TensorView(tensor, segments: instance.segments[port.name]!)
        }
        var values: [String: [Scalar]] = [:]
        do {
            for stage in instance.stages {
                let shape = instance.stageShapes[stage.target]!, segments = instance.segments[stage.target]!
                let v = try elements(of: stage, shape: shape, segments: segments, ev)
                values[stage.target] = v
                ev.tensors[stage.target] = TensorView(shape: shape, segments: segments) { v[$0] }
            }
        } catch let e as EvalError {
            throw ReferenceError("\(spec.name): \(e.message)")
        }
        for d in domains {
            let shape = instance.stageShapes[d.tensor]!
            let peers = instance.stages.map(\.target).filter { instance.stageShapes[$0] == shape }
            for i in 0..<shape.reduce(1, *) {
                let locals = Dictionary(uniqueKeysWithValues: peers.map { ($0, Value.scalar(values[$0]![i])) })
                if (try? ev.eval(d.condition, locals).asBool()) != true {
                    return "\(spec.name) stage '\(d.tensor)' = \(values[d.tensor]![i]) at element \(i) is outside its domain"
                }
            }
        }
        return nil
    }

    /// Evaluates a definition's body at every index of `shape`, in row-major order: compiled (`CompiledExpr`), or
    /// through the interpreter.
    static func elements(of def: Definition, shape: [Int], segments: [Range<Int>], _ ev: Evaluator, compiled: Bool = true) throws -> [Scalar] {
        let count = shape.reduce(1, *)
        var out: [Scalar] = []
        out.reserveCapacity(count)
        var index = Array(repeating: 0, count: shape.count)
        let bound = Array(zip(def.indices, segments))
        let body = compiled ? ev.compile(def.body, locals: bound.map(\.0.name)) : nil
        var frame = [Value](repeating: .int(0), count: body?.slotCount ?? 0)
        var locals: [String: Value] = [:]
        for _ in 0..<count {
            let x: Scalar
            if let body {
                for (k, (v, seg)) in bound.enumerated() {
                    guard v.isVector else { frame[k] = .int(index[seg.lowerBound]); continue }
                    // The index vector rewritten in place (the slot's array is unique once the slot lets go of it).
                    guard case .vector(var a) = frame[k], a.count == seg.count else { frame[k] = .vector(Array(index[seg])); continue }
                    frame[k] = .int(0)
                    for (j, d) in seg.enumerated() { a[j] = index[d] }
                    frame[k] = .vector(a)
                }
                x = try body(&frame).asScalar()
            } else {
                for (v, seg) in bound { locals[v.name] = v.isVector ? .vector(Array(index[seg])) : .int(index[seg.lowerBound]) }
                x = try ev.eval(def.body, locals).asScalar()
            }
            ev.monitor?.store(x)
            out.append(x)
            Tensor.advance(&index, in: shape)
        }
        return out
    }
}
