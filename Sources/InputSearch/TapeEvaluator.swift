import SpecLang
import SpecLib
import TensorCore

/// A value with the tape entry it depends on (-1: a constant, no gradient).
struct Dual {
    var value: Value
    var id: Int32

    init(_ value: Value, _ id: Int32 = -1) {
        self.value = value
        self.id = id
    }
}

/// Evaluates spec expressions like `Evaluator`, computing the same values, and records every float
/// operation on differentiable values on a tape, with partials from `ScalarDerivatives`.
struct TapeEvaluator {
    /// The plain evaluator, with views of every tensor (and stage) for the values.
    var ev: Evaluator
    /// The tensors reads name, by the slots `GradExpr` resolved their names to.
    var slotViews: [TensorView?] = []
    /// Tape entries of the elements of the active tensors, by slot (nil: no gradient).
    var slotIds: [[Int32]?] = []
    /// Active scalars by name: the element a domain condition speaks of.
    var bound: [String: Dual] = [:]
    var tape: Tape
    /// Proxy derivatives (search) or exact ones (gradient check).
    var proxy: Bool
    /// false in the gradient check: `cast` to a float dtype keeps the float64 value, so finite differences are smooth.
    var roundCasts = true
    /// A hash of every discrete choice made (branches, winners, roundings), when `recordDecisions` is set.
    var decisions: UInt64 = 0xcbf2_9ce4_8422_2325
    var recordDecisions = false
    /// How far inside a domain relation an element must be for its hinge loss to vanish.
    var margin = 0.0
    /// The index of the element being computed, for planned reads and index arithmetic.
    var index: [Int] = []
    /// See `OpTrace.Options.deadline`.
    var deadline: UInt64 = .max

    init(ev: Evaluator, tape: Tape, proxy: Bool) {
        self.ev = ev
        self.tape = tape
        self.proxy = proxy
    }

    mutating func decide(_ d: Double) {
        guard recordDecisions else { return }
        decisions = (decisions ^ d.bitPattern) &* 0x0000_0100_0000_01b3
    }

    mutating func eval(_ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        if let c = g.constant { return Dual(c) }
        if let a = g.affine { return Dual(.int(a.value(index))) }
        if let plan = g.read {
            var items: [Int] = []
            if plan.hasItems {
                items = [Int](repeating: 0, count: g.itemCount)
                for d in plan.dims { if let k = d.item { items[k] = try eval(g.children[k], locals).value.asInt() } }
            }
            if let offset = plan.offset(index, items) {
                return Dual(.scalar(slotViews[g.slot]!.fetch(offset)), slotIds[g.slot]?[offset] ?? -1)
            }
            if g.hasDefault { return try eval(g.children[g.itemCount], locals) }
            throw EvalError("index out of range reading '\(g.op)'")
        }
        guard g.active || g.walk else { return Dual(try ev.eval(g.expr, locals)) }
        switch g.kind {
        case .name:
            if let b = bound[g.op] { return b }
            return Dual(try ev.eval(g.expr, locals))
        case .unary:
            let x = try eval(g.children[0], locals)
            guard case .scalar(let s) = x.value else { return Dual(try ev.eval(g.expr, locals)) }
            ev.monitor?.unary(g.op, s)
            let v = try ScalarSemantics.unary(g.op, s)
            guard g.op == "-", case .float = v else { return Dual(.scalar(v)) }
            return Dual(.scalar(v), tape.unary(x.id, -1))
        case .binary: return try binary(g.op, g, locals)
        case .conditional: return try conditional(g, locals)
        case .call: return try call(g.op, g, locals)
        case .read: return try read(g.itemCount, g.hasDefault, g, locals)
        case .reduce: return try reduce(g, locals)
        case .other: return Dual(try ev.eval(g.expr, locals))
        }
    }

    private mutating func binary(_ op: String, _ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        let o = g.binaryOperator
        let x = try eval(g.children[0], locals)
        if o == .and || o == .or, case .scalar(let s) = x.value, s.isTrue == (o == .or) {
            decide(s.isTrue ? 1 : 0)
            return Dual(.bool(s.isTrue))
        }
        let y = try eval(g.children[1], locals)
        guard case .scalar(let s) = x.value, case .scalar(let t) = y.value else { return Dual(try ev.eval(g.expr, locals)) }
        ev.monitor?.binary(op, s, t)
        // An unknown operator throws the string form's error.
        guard let o else { return Dual(.scalar(try ScalarSemantics.binary(op, s, t))) }
        let v = try ScalarSemantics.binary(o, s, t)
        guard case .float(let r) = v else {
            if case .bool(let b) = v { decide(b ? 1 : 0) }
            return Dual(.scalar(v))
        }
        let a = s.asDouble, b = t.asDouble
        if let d = ScalarDerivatives.binaryDecision(o, a, b) { decide(d) }
        guard x.id >= 0 || y.id >= 0, let (da, db) = ScalarDerivatives.binary(o, a, b) else { return Dual(.scalar(.float(r))) }
        return Dual(.scalar(v), tape.binary(x.id, da, y.id, db))
    }

    private mutating func conditional(_ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        let c = try eval(g.children[0], locals)
        guard case .scalar(let s) = c.value else { return Dual(try ev.eval(g.expr, locals)) }
        decide(s.isTrue ? 1 : 0)
        let (chosen, other) = s.isTrue ? (g.children[1], g.children[2]) : (g.children[2], g.children[1])
        var result = try eval(chosen, locals)
        // A branch taken on data (relu-like kinks): the other side gets a leak, so values stuck on it can move.
        if proxy, g.children[0].active, other.active, case .scalar(.float) = result.value,
           let o = try? eval(other, locals), o.id >= 0 {
            result.id = tape.binary(result.id, 1, o.id, ScalarDerivatives.leak)
        }
        return result
    }

    private mutating func call(_ f: String, _ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        if f == "rank" { return Dual(try ev.eval(g.expr, locals)) }
        if f == "cast" { return try cast(g, locals) }
        // Vector functions, and scalar functions applied element-wise to vectors, have no gradient.
        guard let function = g.function else { return Dual(try ev.eval(g.expr, locals)) }
        var scalars: [Scalar] = []
        scalars.reserveCapacity(g.children.count)
        var ids: [Int32] = []
        for c in g.children {
            let d = try eval(c, locals)
            guard case .scalar(let s) = d.value else { return Dual(try ev.eval(g.expr, locals)) }
            scalars.append(s)
            if d.id >= 0 {
                if ids.isEmpty { ids = [Int32](repeating: -1, count: g.children.count) }
                ids[scalars.count - 1] = d.id
            }
        }
        ev.monitor?.function(f, scalars)
        let v = try function.apply(scalars)
        guard case .float = v, let rule = g.rule, recordDecisions || !ids.isEmpty else { return Dual(.scalar(v)) }
        let doubles = scalars.map(\.asDouble)
        if recordDecisions, let d = rule.decision { decide(d(doubles)) }
        guard !ids.isEmpty else { return Dual(.scalar(v)) }
        let partials = rule.partials(doubles, proxy: proxy)
        switch ids.count {
        case 1: return Dual(.scalar(v), tape.unary(ids[0], partials[0]))
        case 2: return Dual(.scalar(v), tape.binary(ids[0], partials[0], ids[1], partials[1]))
        default: return Dual(.scalar(v), tape.node(zip(ids, partials).map { ($0, $1) }))
        }
    }

    /// `cast(D, x)`: the gradient passes through a cast to a float dtype (its rounding is treated as the identity).
    private mutating func cast(_ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        guard g.children[0].kind == .name else { throw EvalError("cast() to a non-name") }
        let d = g.children[0].op
        let dtype: DType
        if let t = ev.dtypes[d] ?? DType(rawValue: d) { dtype = t } else if case .dtype(let t)? = ev.constants[d] { dtype = t } else {
            throw EvalError("cast() to unknown dtype '\(d)'")
        }
        let x = try eval(g.children[1], locals)
        let s = try x.value.asScalar()
        if dtype.isFloat, !roundCasts, case .float = s { return x }
        let v = ElementCodec.scalar(bits: ElementCodec.bits(of: s, as: dtype), dtype: dtype)
        guard dtype.isFloat else {
            decide(v.asDouble)
            return Dual(.scalar(v))
        }
        return Dual(.scalar(v), x.id)
    }

    private mutating func read(_ itemCount: Int, _ hasDefault: Bool, _ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        guard g.slot >= 0, let view = slotViews[g.slot] else { return Dual(try ev.eval(g.expr, locals)) }
        var items: [Value] = []
        items.reserveCapacity(itemCount)
        for k in 0..<itemCount { items.append(try eval(g.children[k], locals).value) }
        guard let offset = try view.offset(items: items, broadcasting: !hasDefault) else {
            return try eval(g.children[itemCount], locals)
        }
        return Dual(.scalar(view.fetch(offset)), slotIds[g.slot]?[offset] ?? -1)
    }
}
