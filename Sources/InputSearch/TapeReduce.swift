import SpecLang
import SpecLib
import TensorCore

/// Reductions with gradients: the same left-to-right accumulation as `Evaluator`, recorded as one tape entry.
extension TapeEvaluator {
    mutating func reduce(_ g: GradExpr, _ locals: [String: Value]) throws -> Dual {
        let r = g.op, body = g.children[0]
        var accumulator: Scalar?
        var bestIndex = 0
        var terms: [Dual] = []
        var winner = -1
        var locals = locals
        var accumulation = ev.monitor != nil && (r == "sum" || r == "prod") ? IntegerAccumulation() : nil
        defer { if let a = accumulation { ev.monitor!.reduction(r, a) } }
        try loop(g, 0, &locals) { this, locals in
            let d = try this.eval(body, locals)
            let x = try d.value.asScalar()
            if r == "sum" { accumulation?.add(x) } else if r == "prod" { accumulation?.multiply(x) }
            defer { terms.append(d) }
            guard let acc = accumulator else {
                accumulator = x
                winner = 0
                if r.hasPrefix("arg") { bestIndex = try this.binderValue(g, locals) }
                return
            }
            switch r {
            case "sum": accumulator = try ScalarSemantics.binary(.add, acc, x)
            case "prod": accumulator = try ScalarSemantics.binary(.multiply, acc, x)
            case "max", "min":
                // The accumulator keeps ties and NaN wins, as in ScalarSemantics.
                let a = acc.asDouble, v = x.asDouble
                if !(a.isNaN || (!v.isNaN && (r == "max" ? a >= v : a <= v))) { winner = terms.count }
                accumulator = try ScalarSemantics.functions[r]!.apply([acc, x])
            default:
                if try ScalarSemantics.binary(r == "argmax" ? ">" : "<", x, acc).isTrue {
                    accumulator = x
                    bestIndex = try this.binderValue(g, locals)
                }
            }
        }
        if r.hasPrefix("arg") {
            decide(Double(bestIndex))
            return Dual(.int(bestIndex))
        }
        guard let acc = accumulator else {
            switch r {
            case "sum": return Dual(.int(0))
            case "prod": return Dual(.int(1))
            case "max": return Dual(.scalar(.float(-.infinity)))
            default: return Dual(.scalar(.float(.infinity)))
            }
        }
        guard case .float = acc else { return Dual(.scalar(acc)) }
        switch r {
        case "sum": return Dual(.scalar(acc), tape.node(terms.map { ($0.id, 1) }))
        case "prod": return Dual(.scalar(acc), tape.node(productEdges(terms)))
        default:
            decide(Double(winner))
            return Dual(.scalar(acc), terms[winner].id)
        }
    }

    /// The current value of the first (scalar) loop variable: from the index when planned, else from the locals.
    func binderValue(_ g: GradExpr, _ locals: [String: Value]) throws -> Int {
        if let start = g.binderStarts.first, start >= 0, !g.binders[0].isVector { return index[start] }
        guard let v = locals[g.binders[0].name] else { throw EvalError("loop variable '\(g.binders[0].name)' has no value") }
        return try v.asInt()
    }

    /// d(prod)/d(term k) = the product of the other terms, by prefix and suffix products (exact with zeros).
    private func productEdges(_ terms: [Dual]) -> [(Int32, Double)] {
        let x = terms.map { (try? $0.value.asScalar().asDouble) ?? 0 }
        var prefix = [Double](repeating: 1, count: x.count + 1)
        for k in x.indices { prefix[k + 1] = prefix[k] * x[k] }
        var suffix = 1.0
        var edges = [(Int32, Double)](repeating: (-1, 0), count: x.count)
        for k in x.indices.reversed() {
            edges[k] = (terms[k].id, prefix[k] * suffix)
            suffix *= x[k]
        }
        return edges
    }

    /// Runs `body` for every combination of the binders' values, outermost first (as `Evaluator` does),
    /// setting each as a named local (when the body needs it) and in the index (when planned).
    private mutating func loop(_ g: GradExpr, _ k: Int, _ locals: inout [String: Value],
                               _ body: (inout TapeEvaluator, [String: Value]) throws -> Void) throws {
        guard k < g.binders.count else { return try body(&self, locals) }
        let b = g.binders[k]
        let start = g.binderStarts.isEmpty ? -1 : g.binderStarts[k]
        let bound = try g.bounds?[k] ?? ev.eval(b.bound, locals)
        if b.isVector {
            let shape = try bound.asVector()
            let count = shape.reduce(1, *)
            for n in 0..<count {
                let index = Binder.combination(n, of: shape)
                if start >= 0 { for d in index.indices { self.index[start + d] = index[d] } }
                if g.bodyNeedsLocals { locals[b.name] = .vector(index) }
                try loop(g, k + 1, &locals, body)
            }
        } else {
            let n = try bound.asInt()
            for i in stride(from: 0, to: n, by: 1) {
                if start >= 0 { self.index[start] = i }
                if g.bodyNeedsLocals { locals[b.name] = .int(i) }
                try loop(g, k + 1, &locals, body)
            }
        }
        if g.bodyNeedsLocals { locals[b.name] = nil }
    }
}
