/// How deep a spec expression may be.
///
/// The checker, the evaluators and the printers walk an expression recursively, and Swift frees an indirect enum
/// recursively too, so a tree thousands of levels deep (5,000 nested parentheses, a sum of 150,000 terms, which is
/// a left-leaning tree as deep as it is long) overflows the stack. Real specs stay far below this bound; a deeper
/// expression is split with `let` or `stage`.
enum ExprDepth {
    /// The most levels of nesting, and the longest operator chain, one expression may have.
    static let limit = 64

    static let message = "expression nested more than \(limit) levels deep (or a chain of more than \(limit) operators); "
        + "split it with 'let' or 'stage'"
}

/// An expression the parser has built, with the height of its tree (a leaf is 1).
struct ParsedExpr {
    let expr: Expr
    let height: Int

    /// An expression whose height the caller bounded.
    init(_ expr: Expr, height: Int) {
        self.expr = expr
        self.height = height
    }

    init(leaf kind: Expr.Kind, _ location: SourceLocation) {
        expr = Expr(kind, location)
        height = 1
    }

    /// A node over `children`; refused, at `at`, when it would make the tree deeper than the limit.
    init(_ kind: Expr.Kind, _ location: SourceLocation, _ children: [ParsedExpr], at: SourceLocation) throws {
        height = (children.map(\.height).max() ?? 0) + 1
        guard height <= ExprDepth.limit else { throw SpecError(at, ExprDepth.message) }
        expr = Expr(kind, location)
    }
}
