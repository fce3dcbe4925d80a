import TensorCore

/// Functions over integer vectors (shapes, index vectors, `ints` attributes).
public enum VectorFunctions {
    public typealias Implementation = @Sendable ([Value]) throws -> Value

    /// Each function's arity and meaning.
    public static let table: [String: (arity: Int, apply: Implementation)] = [
        "len": (1, { .int(try $0[0].asVector().count) }),
        "prod": (1, { a in
            var p = 1
            for x in try a[0].asVector() {
                let (r, overflow) = p.multipliedReportingOverflow(by: x)
                guard !overflow else { throw EvalError("product of \(a[0]) overflows") }
                p = r
            }
            return .int(p)
        }),
        "take": (3, { a in
            let v = try a[0].asVector(), lo = try a[1].asInt(), hi = try a[2].asInt()
            guard 0 <= lo, lo <= hi, hi <= v.count else { throw EvalError("take(\(v), \(lo), \(hi)) is out of range") }
            return .vector(Array(v[lo..<hi]))
        }),
        "pick": (2, { a in
            let v = try a[0].asVector()
            return .vector(try positions(try a[1].asVector(), count: v.count).map { v[$0] })
        }),
        "drop": (2, { a in
            let v = try a[0].asVector()
            let axes = Set(try positions(try a[1].asVector(), count: v.count))
            return .vector(v.indices.filter { !axes.contains($0) }.map { v[$0] })
        }),
        "place": (3, { a in
            var v = try a[0].asVector()
            let axes = try positions(try a[1].asVector(), count: v.count), w = try a[2].asVector()
            guard axes.count == w.count else { throw EvalError("place: \(axes.count) axes but \(w.count) values") }
            for (k, axis) in axes.enumerated() { v[axis] = w[k] }
            return .vector(v)
        }),
        "insert": (3, { a in .vector(try insert(try a[0].asVector(), try a[1].asVector(), try a[2].asVector())) }),
        "permute": (2, { a in
            let v = try a[0].asVector()
            return .vector(try positions(try a[1].asVector(), count: v.count).map { v[$0] })
        }),
        "inverse": (1, { a in
            let p = try a[0].asVector()
            var inv = Array(repeating: 0, count: p.count)
            for (k, x) in try positions(p, count: p.count).enumerated() { inv[x] = k }
            return .vector(inv)
        }),
        "fill": (2, { a in
            let n = try a[0].asInt()
            guard n >= 0, n <= maxLength else { throw EvalError("fill with length \(n) out of range") }
            return .vector(Array(repeating: try a[1].asInt(), count: n))
        }),
        "broadcast": (2, { a in
            guard let s = broadcast(try a[0].asVector(), try a[1].asVector()) else { throw EvalError("shapes \(a[0]) and \(a[1]) do not broadcast") }
            return .vector(s)
        }),
        "broadcastable": (2, { a in .bool(broadcast(try a[0].asVector(), try a[1].asVector()) != nil) }),
        "linear": (2, { a in
            let i = try a[0].asVector(), s = try a[1].asVector()
            guard i.count == s.count else { throw EvalError("linear: index \(i) and shape \(s) differ in length") }
            // Wrapping arithmetic: a hostile shape may overflow, and the result is then simply out of range.
            return .int(zip(i, s).reduce(0) { $0 &* $1.1 &+ $1.0 })
        }),
        "delinear": (2, { a in
            var k = try a[0].asInt()
            let s = try a[1].asVector()
            var out = Array(repeating: 0, count: s.count)
            for d in s.indices.reversed() where s[d] > 0 {
                out[d] = k % s[d]
                k /= s[d]
            }
            return .vector(out)
        }),
        "cat": (2, { a in .vector(try a[0].asVector() + a[1].asVector()) }),
        "count": (1, { a in .int(try a[0].asVector().filter { $0 != 0 }.count) }),
        "distinct": (1, { a in
            let v = try a[0].asVector()
            return .bool(Set(v).count == v.count)
        }),
        "positions": (1, { a in
            let v = try a[0].asVector()
            return .vector(v.indices.filter { v[$0] != 0 })
        }),
        "all": (1, { a in .bool(try a[0].asVector().allSatisfy { $0 != 0 }) }),
        "any": (1, { a in .bool(try a[0].asVector().contains { $0 != 0 }) }),
        "iota": (1, { a in
            let n = try a[0].asInt()
            guard n >= 0, n <= maxLength else { throw EvalError("iota of length \(n) out of range") }
            return .vector(Array(0..<n))
        }),
    ]

    /// The longest vector a spec expression may build: shapes have at most a few dozen dims, and a
    /// hostile file must not make an attribute allocate without bound.
    public static let maxLength = 1 << 16

    /// Numpy broadcasting of two shapes, or nil.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let n = max(a.count, b.count)
        var out: [Int] = []
        for k in 0..<n {
            let x = k < n - a.count ? 1 : a[k - (n - a.count)]
            let y = k < n - b.count ? 1 : b[k - (n - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// Checks that every position lies in 0..<count.
    static func positions(_ axes: [Int], count: Int) throws -> [Int] {
        for a in axes where a < 0 || a >= count { throw EvalError("axis \(a) out of range for length \(count)") }
        return axes
    }

    static func insert(_ v: [Int], _ axes: [Int], _ w: [Int]) throws -> [Int] {
        let n = v.count + w.count
        guard axes.count == w.count, Set(axes).count == axes.count else { throw EvalError("insert: \(axes.count) axes for \(w.count) values") }
        _ = try positions(axes, count: n)
        var out = Array(repeating: 0, count: n)
        var fromW: [Int: Int] = [:]
        for (k, a) in axes.enumerated() { fromW[a] = w[k] }
        var next = 0
        for p in 0..<n {
            if let x = fromW[p] { out[p] = x } else { out[p] = v[next]; next += 1 }
        }
        return out
    }
}
