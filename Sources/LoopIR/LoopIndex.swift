/// An integer expression of a loop bound or a store position: constants, loop variables (kernel slots), sums,
/// differences, products and quotients by constants, and minimums.
///
/// The operators fold what is known while a loop nest is built (`(t*8 + 8) - t*8` is 8), so a nest over constant
/// extents has constant bounds and an unrolled loop a constant trip count. Quotients are only taken of values that
/// are never negative, where C's division and floor division agree.
public indirect enum LoopIndex: Sendable, Hashable, CustomStringConvertible {
    case constant(Int)
    /// A loop variable: the kernel slot it is stored in.
    case variable(Int)
    case sum(LoopIndex, LoopIndex)
    case difference(LoopIndex, LoopIndex)
    case product(LoopIndex, Int)
    case quotient(LoopIndex, Int)
    case minimum(LoopIndex, LoopIndex)

    /// The value, when it does not depend on a loop variable.
    public var constantValue: Int? { affine.flatMap { $0.coefficients.isEmpty ? $0.constant : nil } }

    /// `Σ coefficient · variable + constant`, when the expression has that form (no minimum, no quotient left).
    public var affine: Affine? {
        switch self {
        case .constant(let c): return Affine(coefficients: [:], constant: c)
        case .variable(let v): return Affine(coefficients: [v: 1], constant: 0)
        case .sum(let a, let b): return a.affine.flatMap { x in b.affine.map { x.adding($0, times: 1) } }
        case .difference(let a, let b): return a.affine.flatMap { x in b.affine.map { x.adding($0, times: -1) } }
        case .product(let a, let c): return a.affine.map { Affine(coefficients: [:], constant: 0).adding($0, times: c) }
        case .quotient, .minimum: return nil
        }
    }

    public static func + (a: LoopIndex, b: LoopIndex) -> LoopIndex { fold(.sum(a, b)) }
    public static func + (a: LoopIndex, b: Int) -> LoopIndex { a + .constant(b) }
    public static func - (a: LoopIndex, b: LoopIndex) -> LoopIndex { fold(.difference(a, b)) }
    public static func - (a: LoopIndex, b: Int) -> LoopIndex { a - .constant(b) }
    public static func * (a: LoopIndex, c: Int) -> LoopIndex { c == 1 ? a : fold(.product(a, c)) }

    /// `a / c`, rounded down (`a` is never negative); `c` is positive.
    public static func / (a: LoopIndex, c: Int) -> LoopIndex {
        if c == 1 { return a }
        if let x = a.constantValue { return .constant(x / c) }
        return .quotient(a, c)
    }

    /// The smaller of `a` and `b`.
    public static func min(_ a: LoopIndex, _ b: LoopIndex) -> LoopIndex {
        if let x = a.constantValue, let y = b.constantValue { return .constant(Swift.min(x, y)) }
        return a == b ? a : .minimum(a, b)
    }

    /// `e` in its canonical affine form when it has one (variables in slot order, then the constant), else as is.
    private static func fold(_ e: LoopIndex) -> LoopIndex { e.affine.map(LoopIndex.init) ?? e }

    /// The expression of an affine form.
    public init(_ a: Affine) {
        var e: LoopIndex?
        for v in a.coefficients.keys.sorted() where a.coefficients[v] != 0 {
            let c = a.coefficients[v]!
            let term: LoopIndex = c == 1 ? .variable(v) : .product(.variable(v), c)
            e = e.map { .sum($0, term) } ?? term
        }
        guard let sum = e else { self = .constant(a.constant); return }
        self = a.constant == 0 ? sum : .sum(sum, .constant(a.constant))
    }

    /// The value with the loop variables read from `slots`.
    public func value(_ slots: [Int]) -> Int {
        switch self {
        case .constant(let c): return c
        case .variable(let v): return slots[v]
        case .sum(let a, let b): return a.value(slots) + b.value(slots)
        case .difference(let a, let b): return a.value(slots) - b.value(slots)
        case .product(let a, let c): return a.value(slots) * c
        case .quotient(let a, let c): return a.value(slots) / c
        case .minimum(let a, let b): return Swift.min(a.value(slots), b.value(slots))
        }
    }

    /// C text; loop variable `v` is `s<v>`, as the kernel body names slots.
    public var description: String {
        switch self {
        case .constant(let c): return "\(c)"
        case .variable(let v): return "s\(v)"
        case .sum(let a, let b): return "(\(a) + \(b))"
        case .difference(let a, let b): return "(\(a) - \(b))"
        case .product(let a, let c): return "(\(a) * \(c))"
        case .quotient(let a, let c): return "(\(a) / \(c))"
        case .minimum(let a, let b): return "gs_mini(\(a), \(b))"
        }
    }

    /// The variables the expression reads.
    var variables: Set<Int> {
        switch self {
        case .constant: return []
        case .variable(let v): return [v]
        case .sum(let a, let b), .difference(let a, let b), .minimum(let a, let b): return a.variables.union(b.variables)
        case .product(let a, _), .quotient(let a, _): return a.variables
        }
    }
}

/// `Σ coefficient · variable + constant`: the form the index operators fold in.
public struct Affine: Sendable, Hashable {
    /// The coefficient of each loop variable (zero ones are dropped).
    public var coefficients: [Int: Int]
    public var constant: Int

    /// `self + k · other`.
    func adding(_ other: Affine, times k: Int) -> Affine {
        var c = coefficients
        for (v, x) in other.coefficients { c[v, default: 0] += k * x }
        return Affine(coefficients: c.filter { $0.value != 0 }, constant: constant + k * other.constant)
    }
}
