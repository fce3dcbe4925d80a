import SpecLang
import TensorCore

/// A spec expression compiled against one evaluator: its names resolved once to local slots or constants, its
/// operators to `ScalarSemantics.BinaryOperator`, its functions to their table entries and its reads to their
/// tensors' views. Running it does no dictionary lookup and no string compare per element.
///
/// It computes what `Evaluator.eval` computes, step for step (monitor calls and errors included), and only that:
/// `eval` stays the specification, and `CompiledExprTests` checks the two bit for bit on every spec. A name or
/// function that does not resolve is an error when it is evaluated, as in `eval`, not when it is compiled.
public struct CompiledExpr: Sendable {
    public typealias Code = @Sendable (inout [Value]) throws -> Value
    let code: Code
    /// Local slots the expression needs: the locals it was compiled with first, then its reductions' variables.
    public let slotCount: Int

    /// The expression's value, given the locals in `slots` (at least `slotCount` of them).
    public func callAsFunction(_ slots: inout [Value]) throws -> Value { try code(&slots) }
}

extension Evaluator {
    /// `e` compiled with `locals` (slots `0 ..< locals.count`) in scope; tensors, constants and dtypes are read from
    /// this evaluator now, so compile after the tensors it reads are set.
    public func compile(_ e: Expr, locals: [String]) -> CompiledExpr {
        var scope: [String: Int] = [:]
        for (k, name) in locals.enumerated() { scope[name] = k }
        var c = ExprCompiler(ev: self, scope: scope, slots: locals.count)
        let code = c.compile(e)
        return CompiledExpr(code: code, slotCount: c.slots)
    }
}

/// Builds the closures of a `CompiledExpr`.
struct ExprCompiler {
    typealias Code = CompiledExpr.Code
    let ev: Evaluator
    var scope: [String: Int]
    /// Slots handed out so far.
    var slots: Int

    mutating func compile(_ e: Expr) -> Code {
        switch e.kind {
        case .integer(let v): return constant(.int(v))
        case .real(let v): return constant(.scalar(.float(v)))
        case .string(let s): return constant(.name(s))
        case .name(let n): return name(n, e.location)
        case .unary(let op, let a): return unary(op, compile(a))
        case .binary(let op, let a, let b): return binary(op, compile(a), compile(b))
        case .conditional(let c, let a, let b): return conditional(compile(c), compile(a), compile(b))
        case .vector(let items):
            let codes = items.map { compile($0) }
            return { f in .vector(try codes.map { try $0(&f).asInt() }) }
        case .call(let fn, let args): return call(fn, args)
        case .read(let t, let items, let fallback): return read(t, items, fallback, e.location)
        case .reduce(let r, let binders, let body): return reduce(r, binders, body)
        }
    }

    func constant(_ v: Value) -> Code { { _ in v } }

    /// A local's slot, else what `Evaluator.lookup` gives outside any local.
    func name(_ n: String, _ location: SourceLocation) -> Code {
        if let k = scope[n] { return { f in f[k] } }
        do { return constant(try ev.lookup(n, [:], location)) } catch { return { _ in throw error } }
    }

    func unary(_ op: String, _ a: @escaping Code) -> Code {
        let ev = ev
        return { f in
            let x = try a(&f)
            if case .scalar(let s) = x {
                ev.monitor?.unary(op, s)
                return .scalar(try ScalarSemantics.unary(op, s))
            }
            return try ev.lift([x]) { try ScalarSemantics.unary(op, $0[0]) }
        }
    }

    func binary(_ op: String, _ a: @escaping Code, _ b: @escaping Code) -> Code {
        let ev = ev, override = ev.binaryOverride, monitor = ev.monitor
        // An unknown operator is an error when evaluated (`ScalarSemantics.binary` says which), as in `eval`.
        let o = ScalarSemantics.BinaryOperator.named(op)
        if let o, override == nil, monitor == nil, o != .and, o != .or {
            // The reference's usual case: nothing watches or replaces the arithmetic.
            return { f in
                let x = try a(&f), y = try b(&f)
                if case .scalar(let s) = x, case .scalar(let t) = y { return .scalar(try ScalarSemantics.binary(o, s, t)) }
                if case .vector = x { return try ev.liftBinary(o, x, y) }
                if case .vector = y, case .scalar = x { return try ev.liftBinary(o, x, y) }
                return try ev.binaryValues(op, x, y)
            }
        }
        return { f in
            let x = try a(&f)
            if o == .and, case .scalar(let s) = x, !s.isTrue { return .bool(false) }
            if o == .or, case .scalar(let s) = x, s.isTrue { return .bool(true) }
            let y = try b(&f)
            if case .scalar(let s) = x, case .scalar(let t) = y {
                if let override, let v = override(op, s, t) { return .scalar(v) }
                monitor?.binary(op, s, t)
                return .scalar(try o.map { try ScalarSemantics.binary($0, s, t) } ?? ScalarSemantics.binary(op, s, t))
            }
            if let o, case .vector = x { return try ev.liftBinary(o, x, y) }
            if let o, case .vector = y, case .scalar = x { return try ev.liftBinary(o, x, y) }
            return try ev.binaryValues(op, x, y)
        }
    }

    func conditional(_ c: @escaping Code, _ a: @escaping Code, _ b: @escaping Code) -> Code {
        let ev = ev
        return { f in
            let cond = try c(&f)
            if case .vector(let mask) = cond {
                let x = try a(&f), y = try b(&f)
                return try ev.lift([.vector(mask), x, y]) { $0[0].isTrue ? $0[1] : $0[2] }
            }
            return try cond.asBool() ? a(&f) : b(&f)
        }
    }

    mutating func call(_ fn: String, _ args: [Expr]) -> Code {
        let ev = ev
        switch fn {
        case "rank":
            guard case .name(let t) = args[0].kind else { return { _ in throw EvalError("rank() of a non-name") } }
            if let r = ev.ranks[t] { return constant(.int(r)) }
            let x = compile(args[0])
            return { f in .int(try x(&f).asVector().count) }
        case "cast":
            guard case .name(let d) = args[0].kind else { return { _ in throw EvalError("cast() to a non-name") } }
            guard let dtype = ev.castTarget(d) else { return { _ in throw EvalError("cast() to unknown dtype '\(d)'") } }
            let x = compile(args[1])
            return { f in
                let s = try x(&f).asScalar()
                return .scalar(ElementCodec.scalar(bits: ElementCodec.bits(of: s, as: dtype), dtype: dtype))
            }
        case "lowest", "highest":
            guard case .name(let d) = args[0].kind, let dtype = DTypeBounds.dtype(named: d, ev) else {
                return { _ in throw EvalError("\(fn)() of an unknown dtype") }
            }
            return constant(.scalar(DTypeBounds.scalar(dtype, lowest: fn == "lowest")))
        default:
            let codes = args.map { compile($0) }
            let vector = VectorFunctions.table[fn]?.apply, scalar = ScalarSemantics.functions[fn]
            return { f in
                var values: [Value] = []
                values.reserveCapacity(codes.count)
                for c in codes { values.append(try c(&f)) }
                return try ev.apply(fn, values, vector: vector, scalar: scalar)
            }
        }
    }

    mutating func read(_ t: String, _ items: [IndexItem], _ fallback: Expr?, _ location: SourceLocation) -> Code {
        let codes = items.map { compile($0.expr) }
        let otherwise = fallback.map { compile($0) }
        if let view = ev.tensors[t] {
            let broadcasting = fallback == nil
            // Every item is evaluated before the offset is taken, as in `eval`; up to three without an array.
            switch codes.count {
            case 1:
                let a = codes[0]
                return { f in
                    let x = try a(&f)
                    var flat = 0
                    guard try view.add(x, at: 0, broadcasting: broadcasting, to: &flat) else { return try otherwise!(&f) }
                    return .scalar(view.fetch(flat))
                }
            case 2:
                let a = codes[0], b = codes[1]
                return { f in
                    let x = try a(&f), y = try b(&f)
                    var flat = 0
                    guard try view.add(x, at: 0, broadcasting: broadcasting, to: &flat),
                          try view.add(y, at: 1, broadcasting: broadcasting, to: &flat) else { return try otherwise!(&f) }
                    return .scalar(view.fetch(flat))
                }
            case 3:
                let a = codes[0], b = codes[1], c = codes[2]
                return { f in
                    let x = try a(&f), y = try b(&f), z = try c(&f)
                    var flat = 0
                    guard try view.add(x, at: 0, broadcasting: broadcasting, to: &flat),
                          try view.add(y, at: 1, broadcasting: broadcasting, to: &flat),
                          try view.add(z, at: 2, broadcasting: broadcasting, to: &flat) else { return try otherwise!(&f) }
                    return .scalar(view.fetch(flat))
                }
            default:
                return { f in
                    var values: [Value] = []
                    values.reserveCapacity(codes.count)
                    for c in codes { values.append(try c(&f)) }
                    guard let offset = try view.offset(items: values, broadcasting: broadcasting) else { return try otherwise!(&f) }
                    return .scalar(view.fetch(offset))
                }
            }
        }
        let vector = name(t, items.first?.expr.location ?? SourceLocation(file: "", line: 0, column: 0))
        return { f in
            let values = try codes.map { try $0(&f) }
            let v = try vector(&f).asVector()
            let k = try values[0].asInt()
            guard k >= 0 && k < v.count else {
                if let d = otherwise { return try d(&f) }
                throw EvalError("element \(k) of '\(t)' is out of range (length \(v.count))")
            }
            return .int(v[k])
        }
    }
}
