import SpecLang
import TensorCore

/// Evaluates spec expressions on concrete values: shapes during instantiation, elements in the reference interpreter.
public struct Evaluator: Sendable {
    /// Dims, groups, attributes and `let` values.
    public var constants: [String: Value] = [:]
    /// Ranks of tensors, for `rank(X)`.
    public var ranks: [String: Int] = [:]
    /// Type variable bindings, for `cast(T, x)`.
    public var dtypes: [String: DType] = [:]
    /// Tensors that reads may name.
    public var tensors: [String: TensorView] = [:]
    /// Enum case names, which evaluate to themselves.
    public var enumCases: Set<String> = []
    /// Replaces the scalar table's binary operators where it returns a value (nil: the table decides). The reference
    /// never sets it; a compiler's faulty constant folding does, to compute with its own arithmetic.
    public var binaryOverride: (@Sendable (String, Scalar, Scalar) -> Scalar?)?
    /// When set, told of every integer operation whose exact result the values do not hold (see `OverflowMonitor`).
    public var monitor: OverflowMonitor?

    public init() {}

    /// Evaluates `e` with local index and loop variables.
    public func eval(_ e: Expr, _ locals: [String: Value] = [:]) throws -> Value {
        switch e.kind {
        case .integer(let v): return .int(v)
        case .real(let v): return .scalar(.float(v))
        case .string(let s): return .name(s)
        case .name(let n): return try lookup(n, locals, e.location)
        case .unary(let op, let a):
            let x = try eval(a, locals)
            if case .scalar(let s) = x {
                monitor?.unary(op, s)
                return .scalar(try ScalarSemantics.unary(op, s))
            }
            return try lift([x]) { try ScalarSemantics.unary(op, $0[0]) }
        case .binary(let op, let a, let b):
            let x = try eval(a, locals)
            if op == "&&", case .scalar(let s) = x, !s.isTrue { return .bool(false) }
            if op == "||", case .scalar(let s) = x, s.isTrue { return .bool(true) }
            let y = try eval(b, locals)
            // The common case, two numbers, without the element-wise machinery.
            if case .scalar(let s) = x, case .scalar(let t) = y {
                if let override = binaryOverride, let v = override(op, s, t) { return .scalar(v) }
                monitor?.binary(op, s, t)
                return .scalar(try ScalarSemantics.binary(op, s, t))
            }
            return try binaryValues(op, x, y)
        case .conditional(let c, let a, let b):
            let cond = try eval(c, locals)
            if case .vector(let mask) = cond {
                let x = try eval(a, locals), y = try eval(b, locals)
                return try lift([.vector(mask), x, y]) { $0[0].isTrue ? $0[1] : $0[2] }
            }
            return try cond.asBool() ? eval(a, locals) : eval(b, locals)
        case .vector(let items): return .vector(try items.map { try eval($0, locals).asInt() })
        case .call(let f, let args): return try call(f, args, locals)
        case .read(let t, let items, let fallback): return try read(t, items, fallback, locals)
        case .reduce(let r, let binders, let body): return try reduce(r, binders, body, locals)
        }
    }

    /// A binary operator on values that are not both scalars: enum cases and dtypes compared, else element-wise.
    func binaryValues(_ op: String, _ x: Value, _ y: Value) throws -> Value {
        if case .name(let p) = x, case .name(let q) = y, op == "==" || op == "!=" { return .bool((p == q) == (op == "==")) }
        if case .dtype(let p) = x, case .dtype(let q) = y, op == "==" || op == "!=" { return .bool((p == q) == (op == "==")) }
        guard let o = ScalarSemantics.BinaryOperator.named(op) else { return try lift([x, y]) { try ScalarSemantics.binary(op, $0[0], $0[1]) } }
        return try liftBinary(o, x, y)
    }

    /// `lift` of a binary operator, without its per-element argument arrays where an index vector meets an index
    /// vector of its length or a number (the element-wise index arithmetic of reads).
    func liftBinary(_ o: ScalarSemantics.BinaryOperator, _ x: Value, _ y: Value) throws -> Value {
        func element(_ a: Scalar, _ b: Scalar) throws -> Int { try Value.scalar(ScalarSemantics.binary(o, a, b)).asInt() }
        switch (x, y) {
        case (.vector(let a), .vector(let b)) where a.count == b.count:
            var out: [Int] = []
            out.reserveCapacity(a.count)
            for k in a.indices { out.append(try element(.int(Int64(a[k])), .int(Int64(b[k])))) }
            return .vector(out)
        case (.vector(let a), .scalar(let t)): return .vector(try a.map { try element(.int(Int64($0)), t) })
        case (.scalar(let t), .vector(let b)): return .vector(try b.map { try element(t, .int(Int64($0))) })
        default: return try lift([x, y]) { try ScalarSemantics.binary(o, $0[0], $0[1]) }
        }
    }

    func lookup(_ n: String, _ locals: [String: Value], _ location: SourceLocation) throws -> Value {
        if !locals.isEmpty, let v = locals[n] { return v }
        if let v = constants[n] { return v }
        if enumCases.contains(n) { return .name(n) }
        if n == "inf" { return .scalar(.float(.infinity)) }
        // A type variable or dtype name, for `T == bf16`.
        if let d = dtypes[n] ?? DType(rawValue: n) { return .dtype(d) }
        throw EvalError("'\(n)' has no value here (\(location))")
    }

    /// Applies a scalar function, element-wise when any argument is a vector.
    func lift(_ args: [Value], _ f: ([Scalar]) throws -> Scalar) throws -> Value {
        var length: Int?
        for a in args {
            if case .vector(let v) = a {
                if let n = length, n != v.count { throw EvalError("vectors of lengths \(n) and \(v.count) combined") }
                length = v.count
            } else if case .name(let x) = a {
                throw EvalError("enum case '\(x)' used as a number (only == and != compare enum cases)")
            }
        }
        guard let n = length else { return .scalar(try f(args.map { try $0.asScalar() })) }
        var out: [Int] = []
        out.reserveCapacity(n)
        for k in 0..<n {
            let r = try f(args.map { a -> Scalar in
                if case .vector(let v) = a { return .int(Int64(v[k])) }
                return try a.asScalar()
            })
            out.append(try Value.scalar(r).asInt())
        }
        return .vector(out)
    }

    private func call(_ f: String, _ args: [Expr], _ locals: [String: Value]) throws -> Value {
        switch f {
        case "rank":
            guard case .name(let t) = args[0].kind else { throw EvalError("rank() of a non-name") }
            if let r = ranks[t] { return .int(r) }
            return .int(try eval(args[0], locals).asVector().count)
        case "cast":
            guard case .name(let d) = args[0].kind else { throw EvalError("cast() to a non-name") }
            guard let dtype = castTarget(d) else { throw EvalError("cast() to unknown dtype '\(d)'") }
            let x = try eval(args[1], locals).asScalar()
            return .scalar(ElementCodec.scalar(bits: ElementCodec.bits(of: x, as: dtype), dtype: dtype))
        case "lowest", "highest":
            guard case .name(let d) = args[0].kind, let dtype = DTypeBounds.dtype(named: d, self) else {
                throw EvalError("\(f)() of an unknown dtype")
            }
            return .scalar(DTypeBounds.scalar(dtype, lowest: f == "lowest"))
        default:
            let values = try args.map { try eval($0, locals) }
            return try apply(f, values, vector: VectorFunctions.table[f]?.apply, scalar: ScalarSemantics.functions[f])
        }
    }

    /// The dtype `cast(d, x)` converts to: a type variable, a dtype name, or a dtype-valued constant.
    func castTarget(_ d: String) -> DType? {
        if let t = dtypes[d] ?? DType(rawValue: d) { return t }
        if case .dtype(let t)? = constants[d] { return t }
        return nil
    }

    /// Function `f` of `values`, given its entries in the vector and scalar tables: `prod` of a number is the
    /// scalar product's, every other vector function takes vectors; scalar functions apply element-wise.
    func apply(_ f: String, _ values: [Value], vector: VectorFunctions.Implementation?, scalar: ScalarSemantics.Function?) throws -> Value {
        if let g = vector, f != "prod" || values.first.map({ if case .vector = $0 { return true } else { return false } }) == true {
            return try g(values)
        }
        guard let s = scalar else { throw EvalError("unknown function '\(f)'") }
        if let m = monitor {
            let scalars = values.compactMap { try? $0.asScalar() }
            if scalars.count == values.count { m.function(f, scalars) }
        }
        return try lift(values, s.apply)
    }

    private func read(_ t: String, _ items: [IndexItem], _ fallback: Expr?, _ locals: [String: Value]) throws -> Value {
        let values = try items.map { try eval($0.expr, locals) }
        if let view = tensors[t] {
            guard let offset = try view.offset(items: values, broadcasting: fallback == nil) else {
                return try eval(fallback!, locals)
            }
            return .scalar(view.fetch(offset))
        }
        let vector = try lookup(t, locals, items.first?.expr.location ?? SourceLocation(file: "", line: 0, column: 0)).asVector()
        let k = try values[0].asInt()
        guard k >= 0 && k < vector.count else {
            if let d = fallback { return try eval(d, locals) }
            throw EvalError("element \(k) of '\(t)' is out of range (length \(vector.count))")
        }
        return .int(vector[k])
    }
}
