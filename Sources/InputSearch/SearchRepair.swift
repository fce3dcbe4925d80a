import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// One repair step of the search: an Adam step on the float inputs and weights along the failure's loss
/// gradient, a redraw of values without a gradient, or a restart from fresh values when stuck.
extension SearchRun {
    /// Ranges fresh float values are drawn from, one per restart in turn (smaller values overflow less).
    static let floatRanges: [Double] = [1, 0.5, 2, 0.25, 1]
    /// Ranges integer values are redrawn from when a computed integer value breaks a domain.
    static let integerRanges: [(Double, Double)] = [(-5, 5), (0, 5), (1, 3), (-2, 2), (0, 1), (1, 1)]
    /// Leaf values stay within this magnitude: no domain needs more, and every float dtype holds it.
    static let limit = 1e4

    mutating func repair(_ f: Failure) {
        if f.node > best.node || (f.node == best.node && f.violation.amount < best.amount * (1 - 1e-9)) {
            best = (f.node, f.violation.amount)
            stalled = 0
        } else {
            stalled += 1
        }
        if stalled >= config.patience { return restart() }
        if let s = f.stuck {
            if s.input >= 0, leafValues[s.value] != nil, !s.offsets.isEmpty {
                redraw(s.offsets, of: s.value, node: f.node, input: s.input)
            } else if f.violation.seeds.isEmpty {
                return redrawIntegers() ? () : restart()
            }
            if f.violation.seeds.isEmpty { return }
        }
        let adjoint = tape.backward(seeds: f.violation.seeds)
        var g = Array(adjoint[0..<x.count])
        let scale = g.reduce(0) { max($0, abs($1)) }
        guard scale > 0 else { return redrawIntegers() ? () : restart() }
        for i in g.indices { g[i] /= scale }
        adam.step(&x, g)
        storeFloats()
    }

    /// Draws every float input and weight afresh and forgets the optimizer's moments.
    mutating func restart() {
        restarts += 1
        let range = Self.floatRanges[restarts % Self.floatRanges.count]
        for k in x.indices { x[k] = rng.double(in: -range, range) }
        adam.reset()
        best = (-1, .infinity)
        stalled = 0
        storeFloats()
        leafIds = [:]
    }

    /// Writes the flat vector back into the leaf tensors, rounded to their dtypes.
    mutating func storeFloats() {
        for leaf in leaves {
            let range = leaf.start..<(leaf.start + leaf.type.count)
            let clamped = x[range].map { min(max($0, -Self.limit), Self.limit) }
            let t = Tensor(dtype: leaf.type.dtype, shape: leaf.type.shape, doubles: clamped)
            if t != leafValues[leaf.name] { touch(leaf.name) }
            leafValues[leaf.name] = t
            x.replaceSubrange(range, with: t.doubles)
        }
    }

    /// Redraws every integer and bool input and weight from a range chosen at random; false when there are none.
    mutating func redrawIntegers() -> Bool {
        let names = (model.inputs.map(\.name) + model.weights.map(\.name)).filter { !leafValues[$0]!.dtype.isFloat }
        guard !names.isEmpty else { return false }
        let (low, high) = Self.integerRanges[rng.int(in: 0...(Self.integerRanges.count - 1))]
        for name in names {
            leafValues[name] = Tensor.random(leafValues[name]!.type, using: &rng, low: low, high: high)
            touch(name)
        }
        return true
    }

    /// Redraws the given elements of a model input or weight until they meet the node's domain conditions
    /// (a bounded number of tries each), as `DomainInputs` does for one operator.
    mutating func redraw(_ offsets: [Int], of name: String, node k: Int, input j: Int) {
        var t = leafValues[name]!
        let rules = domains[k].rules[j], ev = instances[k].evaluator, port = instances[k].inputPorts[j].name
        for offset in Set(offsets).sorted() {
            for attempt in 0..<32 {
                // Floats start in [-1, 1) (small values overflow less) and widen every fourth try: a domain such as
                // Acosh's X >= 1 lies wholly outside the first range.
                let width = t.dtype.isFloat ? min(Double(1 << (attempt / 4)), Self.limit) : 5
                let one = Tensor.random(TensorType(t.dtype, []), using: &rng, low: -width, high: width)
                t.bits[offset] = one.bits[0]
                let element = Value.scalar(one.scalar(at: 0))
                if rules.allSatisfy({ (try? ev.eval($0.condition, [port: element]).asBool()) ?? false }) { break }
            }
        }
        leafValues[name] = t
        touch(name)
        if let leaf = leaves.first(where: { $0.name == name }) {
            for offset in offsets { x[leaf.start + offset] = t.double(at: offset) }
        }
    }
}
