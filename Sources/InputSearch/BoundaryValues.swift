import ModelIR
import TensorCore

/// Value patterns on which many miscompilations show and random finite values almost never fall: the input search
/// keeps values finite and inside every domain, and a share of tests then moves inputs and float weights toward one
/// of these (the campaign keeps the move only when the test stays valid).
public enum BoundaryPattern: String, CaseIterable, Codable, Sendable {
    /// Equal neighbours along the last axis: arg-reductions, max-pooling indices, sorting and TopK pick among ties.
    case ties
    /// Exact halves (`k + 0.5`): rounding modes and float-to-integer conversion differ exactly there.
    case halves
    /// The dtype's extremes of narrow integers (`-128`, `127`, ...): wrap-around and saturation edges.
    case integerEdges = "integer-edges"
    /// Negative integers: truncating division, remainder and index arithmetic differ from floor forms there.
    case negatives
    /// One input's values in another of the same dtype and shape: comparisons at their threshold, Max/Min ties.
    case shared
}

/// Moves a test's values toward a `BoundaryPattern`.
public enum BoundaryValues {
    /// `inputs` (and the model's float weights, for the float patterns) moved toward `pattern`; elements are moved
    /// at random, about half of them, so the rest keep the search's values.
    public static func apply(_ pattern: BoundaryPattern, model: Model, inputs: [String: Tensor],
                             using rng: inout SeededRNG) -> (model: Model, inputs: [String: Tensor]) {
        var m = model
        var moved = inputs
        if pattern == .shared {
            let names = model.inputs.map(\.name).filter { inputs[$0] != nil }
            for (k, a) in names.enumerated() {
                for b in names[(k + 1)...] where inputs[a]!.type == inputs[b]!.type {
                    moved[b] = shared(inputs[a]!, into: moved[b]!, &rng)
                }
            }
            return (m, moved)
        }
        for info in model.inputs { if let t = inputs[info.name] { moved[info.name] = apply(pattern, t, &rng) } }
        if pattern == .ties || pattern == .halves {
            m.weights = model.weights.map { $0.value.dtype.isFloat ? Weight($0.name, apply(pattern, $0.value, &rng)) : $0 }
        }
        return (m, moved)
    }

    /// One tensor moved toward `pattern` (unchanged when the pattern does not apply to its dtype).
    static func apply(_ pattern: BoundaryPattern, _ t: Tensor, _ rng: inout SeededRNG) -> Tensor {
        guard t.count > 0 else { return t }
        var s = (0..<t.count).map { t.scalar(at: $0) }
        switch pattern {
        case .ties:
            guard t.dtype != .bool, let last = t.shape.last, last >= 2 else { return t }
            for e in 0..<s.count where e % last != 0 && rng.bool() { s[e] = s[e - 1] }
        case .halves:
            guard t.dtype.isFloat else { return t }
            for e in 0..<s.count where rng.bool() {
                let x = t.double(at: e)
                s[e] = .float(x.rounded(.down) + 0.5)
            }
        case .integerEdges:
            guard t.dtype.isInteger, t.dtype.bitWidth < 64 else { return t }
            let range = IntegerRange(t.dtype)
            let low = -Int64(range.below), high = Int64(range.above)
            let edges = [low, low + 1, high - 1, high]
            for e in 0..<s.count where rng.int(in: 0...3) == 0 { s[e] = .int(edges[rng.int(in: 0...3)]) }
        case .negatives:
            guard t.dtype.isSignedInteger else { return t }
            for e in 0..<s.count where rng.bool() {
                if case .int(let v) = s[e], v > 0 { s[e] = .int(-v) }
            }
        case .shared:
            return t
        }
        return Tensor(dtype: t.dtype, shape: t.shape, scalars: s)
    }

    /// `b` with about half its elements replaced by `a`'s at the same place.
    static func shared(_ a: Tensor, into b: Tensor, _ rng: inout SeededRNG) -> Tensor {
        var s = (0..<b.count).map { b.scalar(at: $0) }
        for e in 0..<s.count where rng.bool() { s[e] = a.scalar(at: e) }
        return Tensor(dtype: b.dtype, shape: b.shape, scalars: s)
    }
}
