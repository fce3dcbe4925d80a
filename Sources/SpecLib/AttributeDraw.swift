import SpecLang
import TensorCore

/// Random values and candidate values of attributes, by kind, for the solver.
enum AttributeDraw {
    /// One value of `decl`; `shapes` (input shapes by port name, as far as bound) lets a permutation keep a shape.
    static func draw(_ decl: AttrDecl, _ ev: Evaluator, _ request: SolverRequest, shapes: [String: [Int]] = [:],
                     _ rng: inout SeededRNG) -> AttributeValue? {
        let options = candidates(decl, ev, request, shapes: shapes, &rng)
        guard !options.isEmpty else { return nil }
        return attributeValue(options[rng.int(in: 0...(options.count - 1))], decl)
    }

    /// The values the search tries for an attribute (all of a small range, a sample of a large one).
    static func candidates(_ decl: AttrDecl, _ ev: Evaluator, _ request: SolverRequest, shapes: [String: [Int]] = [:],
                           _ rng: inout SeededRNG) -> [Value] {
        func int(_ e: Expr) -> Int? { try? ev.eval(e).asInt() }
        let range: ClosedRange<Int>? = decl.range.flatMap { r in
            guard let lo = int(r.low), let hi = int(r.high), lo <= hi else { return nil }
            return lo...hi
        }
        func ints(_ r: ClosedRange<Int>?) -> [Int] {
            guard let r else { return Array(0...3) }
            if r.count <= 16 { return Array(r) }
            return (0..<16).map { _ in rng.int(in: r) }
        }
        switch decl.kind {
        case .int: return ints(range).map { .int($0) }
        case .bool: return [.int(0), .int(1)]
        case .real:
            guard let r = decl.range, let lo = try? ev.eval(r.low).asScalar().asDouble, let hi = try? ev.eval(r.high).asScalar().asDouble else {
                return [.scalar(.float(0.5))]
            }
            return (0..<4).map { _ in .scalar(.float(Double(Float(rng.double(in: lo, hi))))) }
        case .enumeration(let cases): return cases.map { .name($0) }
        case .dtype(let allowed):
            var ds = DTypeGroups.resolve(all: allowed.isEmpty ? ["any"] : allowed) ?? DType.allCases
            if !request.allowedDTypes.isEmpty { ds = ds.filter(request.allowedDTypes.contains) }
            return ds.map { .dtype($0) }
        case .ints(let n):
            let count = n.flatMap(int) ?? rng.int(in: 1...4)
            guard count >= 0, count <= 64 else { return [] }
            return (0..<8).map { _ in .vector((0..<count).map { _ in rng.int(in: range ?? 0...3) }) }
        case .perm(let n):
            guard let count = int(n), count >= 0, count <= 64 else { return [] }
            // Half the candidates are the structured permutations real models use (layout changes such as NCHW to
            // NHWC, a matrix transpose of the last two axes, swapping the leading axes), half uniformly random.
            // When the permuted tensor's shape has a tie, one candidate swaps two of its equal axes: a Transpose
            // that keeps the shape but not the values, which a rewrite taking it for a no-op gets wrong unseen.
            let structured = structuredPerms(count)
            let keeping = shapeKeepingSwap(n, shapes, count, &rng)
            return (0..<6).map { k in
                if k == 1, let keeping { return .vector(keeping) }
                if k % 2 == 0, !structured.isEmpty { return .vector(structured[rng.int(in: 0...(structured.count - 1))]) }
                var p = Array(0..<count)
                for k in stride(from: p.count - 1, to: 0, by: -1) { p.swapAt(k, rng.int(in: 0...k)) }
                return .vector(p)
            }
        case .axes(let n):
            guard let count = int(n), count >= 0, count <= 64 else { return [] }
            // Two candidates in eight are written in a form ONNX allows as well: some axes counted from the end,
            // in any order (the spec's expressions see the canonical form; the node keeps this one).
            return (0..<8).map { k in
                var xs = (0..<count).filter { _ in rng.bool() }
                guard k >= 6 else { return .vector(xs) }
                xs = xs.map { rng.bool() ? $0 - count : $0 }
                for j in stride(from: xs.count - 1, to: 0, by: -1) { xs.swapAt(j, rng.int(in: 0...j)) }
                return .vector(xs)
            }
        }
    }

    /// The values the search tries when repairing a constraint: the drawn candidates and, for a `real` attribute,
    /// the integers of its range (at most 16), so that a `require` asking for an integral value (Gemm's alpha of
    /// integer instances) can be met. The first draw is not changed by them.
    static func repairCandidates(_ decl: AttrDecl, _ ev: Evaluator, _ request: SolverRequest, _ rng: inout SeededRNG) -> [Value] {
        var out = candidates(decl, ev, request, &rng)
        guard case .real = decl.kind, let r = decl.range, let lo = try? ev.eval(r.low).asScalar().asDouble,
              let hi = try? ev.eval(r.high).asScalar().asDouble, lo.isFinite, hi.isFinite, hi - lo <= 16 else { return out }
        var k = lo.rounded(.up)
        while k <= hi {
            out.append(.scalar(.float(k)))
            k += 1
        }
        return out
    }

    /// The attribute value a solver value stands for.
    static func attributeValue(_ v: Value, _ decl: AttrDecl) -> AttributeValue {
        switch v {
        case .scalar(.float(let d)): return .real(d)
        case .scalar(let s):
            if case .real = decl.kind { return .real(s.asDouble) }
            return .int(Int(s.asInt64))
        case .vector(let xs): return .ints(xs)
        case .name(let n): return .name(n)
        case .dtype(let d): return .dtype(d)
        }
    }

    /// A permutation of `count` axes that swaps two equal dims above 1 of the input whose rank `n` is (`rank(X)`),
    /// when its shape is in `shapes` and has such a tie; nil otherwise.
    static func shapeKeepingSwap(_ n: Expr, _ shapes: [String: [Int]], _ count: Int, _ rng: inout SeededRNG) -> [Int]? {
        guard case .call("rank", let args) = n.kind, case .name(let x)? = args.first?.kind,
              let shape = shapes[x], shape.count == count else { return nil }
        let tied = ShapeTie.axes(of: shape)
        guard !tied.isEmpty else { return nil }
        let axes = tied[rng.int(in: 0...(tied.count - 1))]
        let a = rng.int(in: 0...(axes.count - 1)), b = (a + rng.int(in: 1...(axes.count - 1))) % axes.count
        var p = Array(0..<count)
        p.swapAt(axes[a], axes[b])
        return p
    }

    /// Reversed axes, the last two swapped, the first two swapped, rotated left and right (rank 2 and up).
    static func structuredPerms(_ n: Int) -> [[Int]] {
        guard n >= 2 else { return [] }
        let id = Array(0..<n)
        var lastTwo = id, firstTwo = id
        lastTwo.swapAt(n - 2, n - 1)
        firstTwo.swapAt(0, 1)
        return [Array(id.reversed()), lastTwo, firstTwo, Array(id.dropFirst()) + [0], [n - 1] + Array(id.dropLast())]
    }
}

/// A shape's *ties*: axes of equal dims above 1. Over a tie a permutation can keep the shape but not the values, so
/// a layout rewrite that mixes up axes passes every shape check.
public enum ShapeTie {
    /// The groups of two or more axes sharing one dim above 1, each in axis order, ordered by their first axis.
    public static func axes(of shape: [Int]) -> [[Int]] {
        Dictionary(grouping: shape.indices.filter { shape[$0] > 1 }, by: { shape[$0] }).values
            .filter { $0.count >= 2 }.sorted { $0[0] < $1[0] }
    }
}
