/// The VM's half of the loop nest: a kernel's `LoopNest` compiled once into nested closures, as its body is.
extension VM {
    /// Runs part of a loop nest on a frame.
    typealias Action = (Frame) throws -> Void
    /// What a store does at a flat position of the output (its value is the kernel body's, at the loop variables).
    typealias Store = (Frame, Int) throws -> Void

    /// `nest` as one closure; `store` runs at each store, in the nest's order.
    static func compile(_ nest: LoopNest, store: @escaping Store) -> Action {
        switch nest {
        case .store(let position):
            let p = compile(position)
            return { f in try store(f, p(f)) }
        case .sequence(let parts):
            let actions = parts.map { compile($0, store: store) }
            return { f in for a in actions { try a(f) } }
        case .loop(let l):
            // The innermost loop calls the store directly: one closure call less per element.
            if case .store(let position) = l.body {
                let p = compile(position)
                return loop(l) { f in try store(f, p(f)) }
            }
            let body = compile(l.body, store: store)
            return loop(l, body)
        }
    }

    /// Runs `body` once per value of `l`'s variable, stored in its slot; bounds are read on entry.
    private static func loop(_ l: Loop, _ body: @escaping Action) -> Action {
        let v = l.variable, step = l.step
        if let lo = l.lower.constantValue, let hi = l.upper.constantValue {
            return { f in
                var i = lo
                while i < hi { f.slots[v] = i; try body(f); i += step }
            }
        }
        let lower = compile(l.lower), upper = compile(l.upper)
        return { f in
            var i = lower(f)
            let hi = upper(f)
            while i < hi { f.slots[v] = i; try body(f); i += step }
        }
    }

    /// An index expression as a closure over the frame's slots; affine ones (every position, most bounds) as one
    /// sum over their terms.
    static func compile(_ index: LoopIndex) -> (Frame) -> Int {
        if let a = index.affine {
            let c = a.constant
            let terms = a.coefficients.sorted { $0.key < $1.key }
            let vs = terms.map(\.key), ks = terms.map(\.value)
            switch terms.count {
            case 0: return { _ in c }
            case 1: let v = vs[0], k = ks[0]; return { f in f.slots[v] * k + c }
            case 2: let v = vs[0], k = ks[0], w = vs[1], m = ks[1]; return { f in f.slots[v] * k + f.slots[w] * m + c }
            default:
                return { f in
                    var sum = c
                    for j in vs.indices { sum += f.slots[vs[j]] * ks[j] }
                    return sum
                }
            }
        }
        switch index {
        case .quotient(let a, let k): let x = compile(a); return { f in x(f) / k }
        case .minimum(let a, let b): let x = compile(a), y = compile(b); return { f in Swift.min(x(f), y(f)) }
        case .sum(let a, let b): let x = compile(a), y = compile(b); return { f in x(f) + y(f) }
        case .difference(let a, let b): let x = compile(a), y = compile(b); return { f in x(f) - y(f) }
        case .product(let a, let k): let x = compile(a); return { f in x(f) * k }
        case .constant, .variable: return { f in index.value(f.slots) }
        }
    }

    /// Every `(index, position)` a nest over `rank` dimensions stores at, in order: what the schedule means, for tests.
    static func visits(_ nest: LoopNest, rank: Int) -> [(index: [Int], position: Int)] {
        let frame = Frame(slots: nest.maxVariable + 1, buffers: [])
        var out: [(index: [Int], position: Int)] = []
        let run = compile(nest) { f, p in out.append((Array(f.slots.prefix(rank)), p)) }
        try! run(frame)
        return out
    }
}
