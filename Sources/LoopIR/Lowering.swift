import SpecLang
import SpecLib
import TensorCore

/// Lowers an operator instance's spec semantics to kernels: shapes, attributes and vectors are resolved
/// at lowering, leaving loops over scalar expressions.
public struct Lowering {
    let instance: OpInstance
    var options = LoweringOptions()
    /// Buffer id, shape and declared-item segments of every tensor a read may name.
    var buffers: [String: (id: Int, shape: [Int], segments: [Range<Int>])] = [:]
    var nextSlot = 0
    /// The lowering paths taken (`LoweringPath`).
    var paths: Set<String> = []

    /// Lowers `instance`; buffers are its inputs, then its stages, then its outputs.
    public static func lower(_ instance: OpInstance, options: LoweringOptions = LoweringOptions()) throws -> LoweredOp {
        LoopPass.run(try lowerUnscheduled(instance, options: options), options).recordingCodegenPaths()
    }

    /// `lower` before the loop passes: the spec's kernels as written, with the lowering rules of `options`.
    public static func lowerUnscheduled(_ instance: OpInstance, options: LoweringOptions = LoweringOptions()) throws -> LoweredOp {
        var l = Lowering(instance: instance)
        l.options = options
        l.options.variants = options.effectiveVariants
        let spec = instance.spec
        var shapes: [[Int]] = []
        func add(_ name: String, _ shape: [Int]) {
            l.buffers[name] = (shapes.count, shape, instance.segments[name] ?? [])
            shapes.append(shape)
        }
        for (port, type) in zip(instance.inputPorts, instance.inputTypes) { add(port.name, type.shape) }
        for stage in spec.file.stages { add(stage.target, instance.stageShapes[stage.target]!) }
        for (port, type) in zip(spec.outputs, instance.outputTypes) { add(port.name, type.shape) }
        var kernels: [Kernel] = []
        for def in instance.stages + instance.computes {
            let b = l.buffers[def.target]!
            let dtype = zip(spec.outputs, instance.outputTypes).first { $0.0.name == def.target }?.1.dtype
            kernels.append(try l.kernel(def, b.id, b.shape, b.segments, dtype))
        }
        var lowered = LoweredOp(op: spec.name, bufferShapes: shapes, inputCount: instance.inputPorts.count, inputTypes: instance.inputTypes,
                         outputBuffers: spec.outputs.map { l.buffers[$0.name]!.id }, outputTypes: instance.outputTypes, kernels: kernels)
        lowered.loops = options.variants.loops
        lowered.rounding = l.options.variants.rounding
        lowered.emission = l.options.variants.emission
        lowered.paths = l.paths
        return lowered
    }

    private mutating func kernel(_ def: Definition, _ target: Int, _ shape: [Int], _ segments: [Range<Int>], _ dtype: DType?) throws -> Kernel {
        // Loop variable d is slot d; an index name gets the slots of its segment.
        nextSlot = shape.count
        var locals: [String: SymValue] = [:]
        for (v, seg) in zip(def.indices, segments) {
            locals[v.name] = v.isVector ? .vector(seg.map { LExpr.slot($0) }) : .scalar(.slot(seg.lowerBound))
        }
        let body = try lower(def.body, locals).scalar()
        return Kernel(name: def.target, target: target, shape: shape, body: body, dtype: dtype, slotCount: nextSlot)
    }

    mutating func lower(_ e: Expr, _ locals: [String: SymValue]) throws -> SymValue {
        switch e.kind {
        case .integer(let v): return .scalar(.int(v))
        case .real(let v): return .scalar(.const(.float(v)))
        case .string(let s): return .name(s)
        case .name(let n): return try name(n, locals)
        case .unary(let op, let a):
            return try elementwise([try lower(a, locals)]) { Fold.unary(op, $0[0]) }
        case .binary(let op, let a, let b):
            let x = try lower(a, locals), y = try lower(b, locals)
            if case .name(let p) = x, case .name(let q) = y { return .scalar(.const(.bool((p == q) == (op == "==")))) }
            if op == "%" {
                paths.insert("lower-modulo")
                let modulo = options.variants.rules.modulo.implementation
                return try elementwise([x, y]) { modulo($0[0], $0[1]) }
            }
            return try elementwise([x, y]) { Fold.binary(op, $0[0], $0[1]) }
        case .conditional(let c, let a, let b):
            let cond = try lower(c, locals)
            if case .scalar(let ce) = cond, let k = ce.constant { return try lower(k.isTrue ? a : b, locals) }
            return try elementwise([cond, try lower(a, locals), try lower(b, locals)]) { .select($0[0], $0[1], $0[2]) }
        case .vector(let items): return .vector(try items.map { try lower($0, locals).scalar() })
        case .call(let f, let args): return try call(f, args, locals)
        case .read(let t, let items, let fallback): return try read(t, items, fallback, locals)
        case .reduce(let r, let binders, let body): return try reduce(r, binders, body, locals)
        }
    }

    func name(_ n: String, _ locals: [String: SymValue]) throws -> SymValue {
        if let v = locals[n] { return v }
        if let v = instance.evaluator.constants[n] { return SymValue(v) }
        if instance.spec.enumCases.contains(n) { return .name(n) }
        if n == "inf" { return .scalar(.const(.float(.infinity))) }
        throw LoweringError("'\(n)' has no value")
    }

    /// Applies a scalar operation, element-wise when any argument is a vector (scalars broadcast).
    func elementwise(_ args: [SymValue], _ f: ([LExpr]) -> LExpr) throws -> SymValue {
        var length: Int?
        for a in args {
            if case .vector(let v) = a {
                if let n = length, n != v.count { throw LoweringError("vectors of lengths \(n) and \(v.count) combined") }
                length = v.count
            }
        }
        guard let n = length else { return .scalar(f(try args.map { try $0.scalar() })) }
        return .vector(try (0..<n).map { k in
            f(try args.map { a in
                if case .vector(let v) = a { return v[k] }
                return try a.scalar()
            })
        })
    }

    mutating func newSlot() -> Int {
        defer { nextSlot += 1 }
        return nextSlot
    }
}
