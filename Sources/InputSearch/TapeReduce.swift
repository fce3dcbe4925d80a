import SpecLang
import SpecLib
import TensorCore

/// Reductions with gradients: the same left-to-right accumulation as `Evaluator`, recorded as one tape entry.
extension TapeEvaluator {
    mutating func reduce(_ r: String, _ binders: [Binder], _ body: GradExpr, _ locals: [String: Value]) throws -> Dual {
        var accumulator: Scalar?
        var bestIndex = 0
        var terms: [Dual] = []
        var winner = -1
        var locals = locals
        try loop(binders[...], &locals) { this, locals in
            let d = try this.eval(body, locals)
            let x = try d.value.asScalar()
            defer { terms.append(d) }
            guard let acc = accumulator else {
                accumulator = x
                winner = 0
                if r.hasPrefix("arg") { bestIndex = try locals[binders[0].name]!.asInt() }
                return
            }
            switch r {
            case "sum": accumulator = try ScalarSemantics.binary("+", acc, x)
            case "prod": accumulator = try ScalarSemantics.binary("*", acc, x)
            case "max", "min":
                // The accumulator keeps ties and NaN wins, as in ScalarSemantics.
                let a = acc.asDouble, v = x.asDouble
                if !(a.isNaN || (!v.isNaN && (r == "max" ? a >= v : a <= v))) { winner = terms.count }
                accumulator = try ScalarSemantics.functions[r]!.apply([acc, x])
            default:
                if try ScalarSemantics.binary(r == "argmax" ? ">" : "<", x, acc).isTrue {
                    accumulator = x
                    bestIndex = try locals[binders[0].name]!.asInt()
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

    /// Runs `body` for every combination of the binders' values, outermost first (as `Evaluator` does).
    private mutating func loop(_ binders: ArraySlice<Binder>, _ locals: inout [String: Value],
                               _ body: (inout TapeEvaluator, [String: Value]) throws -> Void) throws {
        guard let b = binders.first else { return try body(&self, locals) }
        let bound = try ev.eval(b.bound, locals)
        if b.isVector {
            let shape = try bound.asVector()
            let count = shape.reduce(1, *)
            for k in 0..<count {
                var index = Array(repeating: 0, count: shape.count)
                var rest = k
                for d in shape.indices.reversed() where shape[d] > 0 {
                    index[d] = rest % shape[d]
                    rest /= shape[d]
                }
                locals[b.name] = .vector(index)
                try loop(binders.dropFirst(), &locals, body)
            }
        } else {
            let n = try bound.asInt()
            for k in stride(from: 0, to: n, by: 1) {
                locals[b.name] = .int(k)
                try loop(binders.dropFirst(), &locals, body)
            }
        }
        locals[b.name] = nil
    }
}
