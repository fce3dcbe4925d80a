/// How hard the compiler optimizes: each level runs every pass of the levels below it and more.
///
/// The levels are themselves a differential oracle: a model must compute the same outputs at every level.
public enum OptimizationLevel: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// No graph pass: the model runs as given.
    case O0 = 0
    /// Clean-ups that never change an operator: dead code elimination, CSE, constant folding.
    case O1 = 1
    /// O1 plus rewriting by rules: algebraic and layout simplification.
    case O2 = 2
    /// O2 plus operator fusion grouping.
    case O3 = 3

    /// Lower levels run fewer passes.
    public static func < (a: OptimizationLevel, b: OptimizationLevel) -> Bool { a.rawValue < b.rawValue }

    /// `O2`.
    public var description: String { "O\(rawValue)" }

    /// Parses `O2`, `-O2` or `2`.
    public init?(parsing text: String) {
        var t = Substring(text)
        if t.hasPrefix("-") { t = t.dropFirst() }
        if t.hasPrefix("O") { t = t.dropFirst() }
        guard let n = Int(t), let level = OptimizationLevel(rawValue: n) else { return nil }
        self = level
    }
}
