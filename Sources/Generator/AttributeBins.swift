import TensorCore
import SpecLang
import SpecLib

/// Log-scale bins of attribute values, for coverage: which kinds of value an operator has been tried with.
public enum AttributeBins {
    /// The bin of one value.
    public static func bin(_ value: AttributeValue, _ decl: AttrDecl) -> String {
        switch (decl.kind, value) {
        case (.perm, .ints(let p)): return p == Array(p.indices) ? "identity" : "permuted"
        case (.axes, .ints(let xs)): return "\(intBin(xs.count)) axes" + (xs.contains { $0 < 0 } || xs != xs.sorted() ? ", unusual form" : "")
        case (_, .ints(let xs)): return "max " + intBin(xs.max() ?? 0) + (xs.contains { $0 < 0 } ? ", negatives" : "")
        case (_, .int(let v)): return intBin(v)
        case (_, .real(let d)): return realBin(d)
        case (_, .name(let n)): return n
        case (_, .dtype(let d)): return d.rawValue
        }
    }

    /// `<0`, `0`, `1`, `2-3`, `4-7`, ... : powers of two.
    public static func intBin(_ v: Int) -> String {
        if v < 0 { return "<0" }
        if v <= 1 { return String(v) }
        var lo = 2
        while lo * 2 <= v { lo *= 2 }
        return "\(lo)-\(lo * 2 - 1)"
    }

    static func realBin(_ d: Double) -> String {
        if d == 0 { return "0" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let sign = d < 0 ? "-" : "+"
        let m = abs(d)
        return sign + (m < 0.01 ? "tiny" : m < 1 ? "small" : m < 10 ? "unit" : "large")
    }

    /// Every bin an attribute can reach: evaluated over the ranks 0...maxRank where the range depends on rank.
    public static func all(_ decl: AttrDecl, maxRank: Int) -> Set<String> {
        switch decl.kind {
        case .bool: return ["0", "1"]
        case .enumeration(let cases): return Set(cases)
        case .dtype(let allowed): return Set((DTypeGroups.resolve(all: allowed.isEmpty ? ["any"] : allowed) ?? []).map(\.rawValue))
        case .perm: return ["identity", "permuted"]
        case .axes: return Set((0...maxRank).map { "\(intBin($0)) axes" } + (1...max(1, maxRank)).map { "\(intBin($0)) axes, unusual form" })
        case .int:
            var out: Set<String> = []
            for r in 0...maxRank {
                guard let (lo, hi) = intRange(decl, rank: r) else { continue }
                for v in lo...hi { out.insert(intBin(v)) }
            }
            return out
        case .real:
            guard let (lo, hi) = realRange(decl) else { return [] }
            // Interior points only: a draw from a continuous range never lands on its ends.
            return Set((0..<64).map { realBin(lo + (hi - lo) * (Double($0) + 0.5) / 64) })
        case .ints:
            return []
        }
    }

    static func realRange(_ decl: AttrDecl) -> (Double, Double)? {
        let ev = Evaluator()
        guard let r = decl.range, let lo = try? ev.eval(r.low).asScalar().asDouble, let hi = try? ev.eval(r.high).asScalar().asDouble,
              lo <= hi else { return nil }
        return (lo, hi)
    }

    /// Values that fall in `bin`, to pin while solving: whether the bin can be reached at all.
    public static func representatives(_ decl: AttrDecl, bin: String, maxRank: Int) -> [AttributeValue] {
        switch decl.kind {
        case .bool: return [.int(bin == "1" ? 1 : 0)]
        case .enumeration: return [.name(bin)]
        case .dtype: return DType(rawValue: bin).map { [.dtype($0)] } ?? []
        case .perm:
            return (1...max(1, maxRank)).map { n in .ints(bin == "identity" ? Array(0..<n) : Array((0..<n).reversed())) }
                .filter { bin == "identity" || $0 != .ints([0]) }
        case .axes:
            let unusual = bin.hasSuffix(", unusual form")
            return (0...8).compactMap { k in
                guard intBin(k) + " axes" + (unusual ? ", unusual form" : "") == bin, !(unusual && k == 0) else { return nil }
                // The unusual form of k axes: the last one counted from the end, the others in reverse order.
                return .ints(unusual ? [-1] + Array((0..<(k - 1)).reversed()) : Array(0..<k))
            }
        case .int:
            var values: [Int] = []
            for r in 0...maxRank {
                guard let (lo, hi) = intRange(decl, rank: r) else { continue }
                values += (lo...hi).filter { intBin($0) == bin && !values.contains($0) }
            }
            return values.map { .int($0) }
        case .real:
            guard let (lo, hi) = realRange(decl) else { return [] }
            var out: [AttributeValue] = []
            for k in 0..<64 where out.count < 3 {
                let x: Double = lo + (hi - lo) * (Double(k) + 0.5) / 64
                if realBin(x) == bin { out.append(.real(Double(Float(x)))) }
            }
            return out
        case .ints: return []
        }
    }

    /// The range of an int attribute if every tensor had rank `rank`.
    private static func intRange(_ decl: AttrDecl, rank: Int) -> (Int, Int)? {
        guard let r = decl.range else { return nil }
        var ev = Evaluator()
        for name in ExprRanks.tensors(in: r.low) + ExprRanks.tensors(in: r.high) { ev.ranks[name] = rank }
        guard let lo = try? ev.eval(r.low).asInt(), let hi = try? ev.eval(r.high).asInt(), lo <= hi, hi - lo <= 64 else { return nil }
        return (lo, hi)
    }
}

/// Names used as `rank(X)` arguments in an expression.
enum ExprRanks {
    static func tensors(in e: Expr) -> [String] {
        switch e.kind {
        case .call("rank", let args): if case .name(let n) = args.first?.kind { return [n] } else { return [] }
        case .call(_, let args), .vector(let args): return args.flatMap(tensors)
        case .unary(_, let a): return tensors(in: a)
        case .binary(_, let a, let b): return tensors(in: a) + tensors(in: b)
        case .conditional(let c, let a, let b): return tensors(in: c) + tensors(in: a) + tensors(in: b)
        default: return []
        }
    }
}
