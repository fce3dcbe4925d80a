/// How a loop runs its iterations.
public enum LoopKind: String, Sendable, Hashable {
    case serial
    /// Split across cores in native code (OpenMP); the VM runs it in order, with the same results.
    case parallel
    /// The lanes of one vector: a constant trip count, written out iteration by iteration in C.
    case vector
    /// A constant trip count written out iteration by iteration in C.
    case unrolled
}

/// One loop: `variable` runs from `lower` up to (not including) `upper` by `step`; the bounds may read the
/// variables of enclosing loops (a tile's inner loop starts at `t * 8`).
public struct Loop: Sendable {
    public var variable: Int
    public var lower: LoopIndex
    public var upper: LoopIndex
    public var step: Int
    public var kind: LoopKind
    public var body: LoopNest

    /// How many times the body runs, when that does not depend on enclosing loops.
    public var tripCount: Int? { (upper - lower).constantValue.map { Swift.max(0, ($0 + step - 1) / step) } }
}

/// A kernel's loops as every backend runs them: the schedule of the loop passes lowered into an explicit loop nest
/// (tile loops, unrolled and vector chunks, remainders), so the VM and the C emitter walk one structure and cannot
/// disagree on what a schedule means.
///
/// Loop variables are kernel slots: dimension `d`'s loop variable is slot `d` (what the kernel body reads), and
/// the loops a transformation adds (a tile's index, a chunk's start) take slots past the body's.
public indirect enum LoopNest: Sendable, CustomStringConvertible {
    case loop(Loop)
    /// Each part in turn (a main loop, then its remainder).
    case sequence([LoopNest])
    /// Stores the kernel's value, at the index the loop variables hold, at flat `position` of its output.
    case store(position: LoopIndex)

    /// A loop of `body`; nothing when its bounds are constants that leave it no iteration.
    public static func forLoop(_ variable: Int, from lower: LoopIndex, to upper: LoopIndex, step: Int = 1,
                               kind: LoopKind = .serial, _ body: LoopNest) -> LoopNest {
        let l = Loop(variable: variable, lower: lower, upper: upper, step: step, kind: kind, body: body)
        return l.tripCount == 0 ? .sequence([]) : .loop(l)
    }

    /// `parts` in turn, nested sequences flattened; a single part stands alone.
    public static func sequence(of parts: [LoopNest]) -> LoopNest {
        let flat = parts.flatMap { p -> [LoopNest] in
            if case .sequence(let inner) = p { return inner }
            return [p]
        }
        return flat.count == 1 ? flat[0] : .sequence(flat)
    }

    /// The nest with every innermost loop (a loop whose body is a store) replaced by `f` of it.
    public func mappingInnermost(_ f: (Loop) -> LoopNest) -> LoopNest {
        switch self {
        case .store: return self
        case .sequence(let parts): return .sequence(of: parts.map { $0.mappingInnermost(f) })
        case .loop(var l):
            if case .store = l.body { return f(l) }
            l.body = l.body.mappingInnermost(f)
            return .loop(l)
        }
    }

    /// The nest with every store's position replaced by `f` of it.
    public func mappingStores(_ f: (LoopIndex) -> LoopIndex) -> LoopNest {
        switch self {
        case .store(let p): return .store(position: f(p))
        case .sequence(let parts): return .sequence(parts.map { $0.mappingStores(f) })
        case .loop(var l):
            l.body = l.body.mappingStores(f)
            return .loop(l)
        }
    }

    /// The first loop that is run, with `kind`: the outermost loop of the nest.
    public func markingOutermost(_ kind: LoopKind) -> LoopNest {
        switch self {
        case .store: return self
        case .loop(var l):
            l.kind = kind
            return .loop(l)
        case .sequence(var parts):
            if !parts.isEmpty { parts[0] = parts[0].markingOutermost(kind) }
            return .sequence(parts)
        }
    }

    /// The largest loop variable (or variable a bound or position reads), -1 for none.
    public var maxVariable: Int {
        switch self {
        case .store(let p): return p.variables.max() ?? -1
        case .sequence(let parts): return parts.map(\.maxVariable).max() ?? -1
        case .loop(let l):
            return ([l.variable, l.body.maxVariable] + l.lower.variables + l.upper.variables).max()!
        }
    }

    /// The loops with their bounds, one per line, indented by depth (C syntax for the bounds).
    public var description: String { lines(depth: 0).joined(separator: "\n") }

    private func lines(depth: Int) -> [String] {
        let pad = String(repeating: "  ", count: depth)
        switch self {
        case .store(let p): return [pad + "out[\(p)] = value"]
        case .sequence(let parts): return parts.flatMap { $0.lines(depth: depth) }
        case .loop(let l):
            let step = l.step == 1 ? "" : " step \(l.step)"
            let kind = l.kind == .serial ? "" : " \(l.kind.rawValue)"
            return ["\(pad)for s\(l.variable) in \(l.lower) ..< \(l.upper)\(step)\(kind)"] + l.body.lines(depth: depth + 1)
        }
    }
}
