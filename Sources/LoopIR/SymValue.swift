import SpecLang
import TensorCore

/// A value during lowering: a scalar expression, a vector of them (length known at lowering), an enum case or a dtype.
enum SymValue {
    case scalar(LExpr)
    case vector([LExpr])
    case name(String)
    case dtype(DType)

    init(_ v: Value) {
        switch v {
        case .scalar(let s): self = .scalar(.const(s))
        case .vector(let xs): self = .vector(xs.map { LExpr.int($0) })
        case .name(let n): self = .name(n)
        case .dtype(let d): self = .dtype(d)
        }
    }

    /// The constant `Value` when every part is constant (so the spec's own functions can compute it).
    var constant: Value? {
        switch self {
        case .scalar(let e): return e.constant.map { .scalar($0) }
        case .vector(let xs):
            var out: [Int] = []
            for x in xs {
                guard let c = x.constant, let i = try? Value.scalar(c).asInt() else { return nil }
                out.append(i)
            }
            return .vector(out)
        case .name(let n): return .name(n)
        case .dtype(let d): return .dtype(d)
        }
    }

    func scalar() throws -> LExpr {
        if case .scalar(let e) = self { return e }
        throw LoweringError("expected a scalar")
    }

    func vector() throws -> [LExpr] {
        if case .vector(let v) = self { return v }
        throw LoweringError("expected a vector")
    }

    func constInt() throws -> Int {
        guard let c = constant, let i = try? c.asInt() else { throw LoweringError("a structural argument is not a constant") }
        return i
    }

    func constInts() throws -> [Int] {
        guard let c = constant, let v = try? c.asVector() else { throw LoweringError("a structural vector is not a constant") }
        return v
    }
}

/// Scalar operations that fold constants with the same `ScalarSemantics` table the evaluators use.
enum Fold {
    static func binary(_ op: String, _ a: LExpr, _ b: LExpr) -> LExpr {
        if let x = a.constant, let y = b.constant, let r = try? ScalarSemantics.binary(op, x, y) { return .const(r) }
        return .binary(op, a, b)
    }

    static func unary(_ op: String, _ a: LExpr) -> LExpr {
        if let x = a.constant, let r = try? ScalarSemantics.unary(op, x) { return .const(r) }
        return .unary(op, a)
    }

    static func call(_ f: String, _ args: [LExpr]) -> LExpr {
        let consts = args.compactMap(\.constant)
        if consts.count == args.count, let fn = ScalarSemantics.functions[f], let r = try? fn.apply(consts) { return .const(r) }
        return .call(f, args)
    }

    static func sum(_ xs: [LExpr]) -> LExpr { xs.dropFirst().reduce(xs.first ?? .int(0)) { binary("+", $0, $1) } }
}
