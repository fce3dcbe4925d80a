import SpecLang
import SpecLib
import TensorCore

/// Calls during lowering: `rank`, `cast`, the scalar functions, and the vector functions on vectors whose
/// structure (lengths, positions) is known at lowering.
extension Lowering {
    mutating func call(_ f: String, _ args: [Expr], _ locals: [String: SymValue]) throws -> SymValue {
        switch f {
        case "rank":
            guard case .name(let t) = args[0].kind else { throw LoweringError("rank of a non-name") }
            if let r = instance.evaluator.ranks[t] { return .scalar(.int(r)) }
            return .scalar(.int(try name(t, locals).vector().count))
        case "cast":
            guard case .name(let d) = args[0].kind else { throw LoweringError("cast to a non-name") }
            var dtype = instance.evaluator.dtypes[d] ?? DType(rawValue: d)
            if case .dtype(let t)? = instance.evaluator.constants[d] { dtype = t }
            guard let dtype else { throw LoweringError("cast to unknown dtype '\(d)'") }
            return try elementwise([try lower(args[1], locals)]) { a in
                if let c = a[0].constant { return .const(ElementCodec.scalar(bits: ElementCodec.bits(of: c, as: dtype), dtype: dtype)) }
                return .cast(dtype, a[0])
            }
        default: break
        }
        let values = try args.map { try lower($0, locals) }
        let isVectorCall = VectorFunctions.table[f] != nil && (f != "prod" || values.first.map { if case .vector = $0 { return true } else { return false } } == true)
        if isVectorCall {
            if let consts = Optional(values.compactMap(\.constant)), consts.count == values.count {
                return SymValue(try VectorFunctions.table[f]!.apply(consts))
            }
            return try symbolicVectorCall(f, values)
        }
        guard ScalarSemantics.functions[f] != nil else { throw LoweringError("unknown function '\(f)'") }
        return try elementwise(values) { Fold.call(f, $0) }
    }

    /// Vector functions with symbolic elements; positions, lengths and shapes must be constants.
    private func symbolicVectorCall(_ f: String, _ a: [SymValue]) throws -> SymValue {
        switch f {
        case "len": return .scalar(.int(try a[0].vector().count))
        case "prod": return .scalar(try a[0].vector().dropFirst().reduce(try a[0].vector().first ?? .int(1)) { Fold.binary("*", $0, $1) })
        case "take":
            let v = try a[0].vector(), lo = try a[1].constInt(), hi = try a[2].constInt()
            guard 0 <= lo, lo <= hi, hi <= v.count else { throw LoweringError("take out of range") }
            return .vector(Array(v[lo..<hi]))
        case "pick", "permute":
            let v = try a[0].vector()
            return .vector(try a[1].constInts().map { p in
                guard p >= 0 && p < v.count else { throw LoweringError("\(f): position \(p) out of range") }
                return v[p]
            })
        case "drop":
            let v = try a[0].vector(), axes = Set(try a[1].constInts())
            return .vector(v.indices.filter { !axes.contains($0) }.map { v[$0] })
        case "place":
            var v = try a[0].vector()
            let axes = try a[1].constInts(), w = try a[2].vector()
            guard axes.count == w.count, axes.allSatisfy({ $0 >= 0 && $0 < v.count }) else { throw LoweringError("place: bad axes") }
            for (k, p) in axes.enumerated() { v[p] = w[k] }
            return .vector(v)
        case "insert":
            let v = try a[0].vector(), axes = try a[1].constInts(), w = try a[2].vector()
            let n = v.count + w.count
            guard axes.count == w.count, Set(axes).count == axes.count, axes.allSatisfy({ $0 >= 0 && $0 < n }) else {
                throw LoweringError("insert: bad axes")
            }
            var out: [LExpr] = []
            var next = 0
            for p in 0..<n {
                if let k = axes.firstIndex(of: p) { out.append(w[k]) } else { out.append(v[next]); next += 1 }
            }
            return .vector(out)
        case "fill":
            let n = try a[0].constInt()
            guard n >= 0, n <= VectorFunctions.maxLength else { throw LoweringError("fill length out of range") }
            return .vector(Array(repeating: try a[1].scalar(), count: n))
        case "cat": return .vector(try a[0].vector() + a[1].vector())
        case "all", "any":
            let truth = try a[0].vector().map { Fold.binary("!=", $0, .int(0)) }
            let join = f == "all" ? "&&" : "||"
            return .scalar(truth.dropFirst().reduce(truth.first ?? .const(.bool(f == "all"))) { Fold.binary(join, $0, $1) })
        case "count":
            return .scalar(Fold.sum(try a[0].vector().map { .select(Fold.binary("!=", $0, .int(0)), .int(1), .int(0)) }))
        case "linear":
            let i = try a[0].vector(), s = try a[1].vector()
            guard i.count == s.count else { throw LoweringError("linear: lengths differ") }
            return .scalar(zip(i, s).reduce(LExpr.int(0)) { Fold.binary("+", Fold.binary("*", $0, $1.1), $1.0) })
        case "delinear":
            let k = try a[0].scalar(), s = try a[1].constInts()
            var out: [LExpr] = Array(repeating: .int(0), count: s.count)
            var stride = 1
            for d in s.indices.reversed() where s[d] > 0 {
                out[d] = Fold.binary("%", Fold.binary("/", k, .int(stride)), .int(s[d]))
                stride *= s[d]
            }
            return .vector(out)
        default:
            throw LoweringError("'\(f)' needs constant arguments")
        }
    }
}
