/// A record of scalar computations for reverse-mode gradients: each entry lists its parents and the local partials.
///
/// Entries are appended in evaluation order, so a parent always precedes its children and one
/// backward sweep from the last entry to the first accumulates every adjoint.
struct Tape: Sendable {
    /// Entry `k`'s edges are `edgeStart[k] ..< edgeStart[k + 1]`.
    var edgeStart: [Int] = [0]
    var parents: [Int32] = []
    var partials: [Double] = []

    init() {}

    /// The number of entries.
    var count: Int { edgeStart.count - 1 }

    /// Forgets every entry, keeping the storage for the next step.
    mutating func reset() {
        edgeStart.removeAll(keepingCapacity: true)
        edgeStart.append(0)
        parents.removeAll(keepingCapacity: true)
        partials.removeAll(keepingCapacity: true)
    }

    /// A new entry without parents: an element of a model input or weight.
    mutating func leaf() -> Int32 {
        edgeStart.append(parents.count)
        return Int32(count - 1)
    }

    /// `count` new leaves with consecutive ids; returns the first.
    mutating func leaves(_ n: Int) -> Int32 {
        let first = Int32(count)
        edgeStart.append(contentsOf: repeatElement(parents.count, count: n))
        return first
    }

    /// An entry with one parent; the parent itself when the partial is 1 (nothing new to record).
    mutating func unary(_ a: Int32, _ da: Double) -> Int32 {
        if a < 0 || da == 0 { return -1 }
        if da == 1 { return a }
        parents.append(a)
        partials.append(da)
        edgeStart.append(parents.count)
        return Int32(count - 1)
    }

    /// An entry with two parents (either may be -1, a constant).
    mutating func binary(_ a: Int32, _ da: Double, _ b: Int32, _ db: Double) -> Int32 {
        if a < 0 || da == 0 { return unary(b, db) }
        if b < 0 || db == 0 { return unary(a, da) }
        parents.append(a)
        partials.append(da)
        parents.append(b)
        partials.append(db)
        edgeStart.append(parents.count)
        return Int32(count - 1)
    }

    /// An entry with any number of parents; constants (-1) and zero partials are dropped.
    mutating func node(_ edges: [(Int32, Double)]) -> Int32 {
        let live = edges.filter { $0.0 >= 0 && $0.1 != 0 }
        if live.isEmpty { return -1 }
        if live.count == 1 { return unary(live[0].0, live[0].1) }
        for (p, d) in live {
            parents.append(p)
            partials.append(d)
        }
        edgeStart.append(parents.count)
        return Int32(count - 1)
    }

    /// Adjoints of every entry, given the adjoints of some entries (the gradient of the loss with respect to them).
    ///
    /// Non-finite products are clipped to a large finite value of the same sign: the search only
    /// uses each leaf's gradient through Adam's normalised step, so the direction is what counts.
    func backward(seeds: [(Int32, Double)]) -> [Double] {
        var adjoint = [Double](repeating: 0, count: count)
        for (k, d) in seeds where k >= 0 { adjoint[Int(k)] += d }
        var k = count - 1
        while k >= 0 {
            let a = adjoint[k]
            if a != 0 && a.isFinite {
                for e in edgeStart[k]..<edgeStart[k + 1] {
                    let p = Int(parents[e])
                    adjoint[p] = Self.clip(adjoint[p] + a * partials[e])
                }
            }
            k -= 1
        }
        return adjoint
    }

    private static func clip(_ x: Double) -> Double {
        if x.isFinite { return x }
        if x.isNaN { return 0 }
        return x > 0 ? 1e300 : -1e300
    }
}
