import SpecLang
import TensorCore

/// Reductions: `sum`, `prod`, `max`, `min`, `argmax`, `argmin` over scalar and vector loop variables.
extension Evaluator {
    func reduce(_ r: String, _ binders: [Binder], _ body: Expr, _ locals: [String: Value]) throws -> Value {
        var accumulator: Scalar?
        var bestIndex = 0
        var locals = locals
        var accumulation = monitor != nil && (r == "sum" || r == "prod") ? IntegerAccumulation() : nil
        defer { if let a = accumulation { monitor!.reduction(r, a) } }
        try loop(binders[...], &locals) { locals in
            let x = try eval(body, locals).asScalar()
            if r == "sum" { accumulation?.add(x) } else if r == "prod" { accumulation?.multiply(x) }
            guard let acc = accumulator else {
                accumulator = x
                if r.hasPrefix("arg") { bestIndex = try locals[binders[0].name]!.asInt() }
                return
            }
            switch r {
            case "sum": accumulator = try ScalarSemantics.binary("+", acc, x)
            case "prod": accumulator = try ScalarSemantics.binary("*", acc, x)
            case "max": accumulator = try ScalarSemantics.functions["max"]!.apply([acc, x])
            case "min": accumulator = try ScalarSemantics.functions["min"]!.apply([acc, x])
            default:
                // First extreme wins: replace only on a strict improvement.
                if try ScalarSemantics.binary(r == "argmax" ? ">" : "<", x, acc).isTrue {
                    accumulator = x
                    bestIndex = try locals[binders[0].name]!.asInt()
                }
            }
        }
        if r.hasPrefix("arg") { return .int(bestIndex) }
        return accumulator.map(Value.scalar) ?? Self.emptyReduction(r)
    }

    /// What reduction `r` (not an arg-reduction) of no values is: its identity.
    static func emptyReduction(_ r: String) -> Value {
        switch r {
        case "sum": return .int(0)
        case "prod": return .int(1)
        case "max": return .scalar(.float(-.infinity))
        default: return .scalar(.float(.infinity))
        }
    }

    /// Runs `body` for every combination of the binders' values, outermost first.
    private func loop(_ binders: ArraySlice<Binder>, _ locals: inout [String: Value], _ body: ([String: Value]) throws -> Void) throws {
        guard let b = binders.first else { return try body(locals) }
        try Binder.forEachValue(over: try eval(b.bound, locals), isVector: b.isVector) { v in
            locals[b.name] = v
            try loop(binders.dropFirst(), &locals, body)
        }
        locals[b.name] = nil
    }
}

extension Binder {
    /// Calls `body` with each value a binder over `bound` takes, in order: every index of the shape `bound` for a
    /// vector binder (`combination`), else `0 ..< bound`.
    public static func forEachValue(over bound: Value, isVector: Bool, _ body: (Value) throws -> Void) throws {
        if isVector {
            let shape = try bound.asVector()
            for k in 0..<shape.reduce(1, *) { try body(.vector(combination(k, of: shape))) }
        } else {
            for k in stride(from: 0, to: try bound.asInt(), by: 1) { try body(.int(k)) }
        }
    }

    /// The `k`-th value of a vector binder over `shape`, in row-major order (the last entry fastest).
    public static func combination(_ k: Int, of shape: [Int]) -> [Int] {
        var index = Array(repeating: 0, count: shape.count)
        var rest = k
        for d in shape.indices.reversed() where shape[d] > 0 {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return index
    }
}
