/// Recursive-descent parsing of spec expressions.
///
/// Precedence, lowest first: `?:`, `||`, `&&`, comparisons, `+ -`, `* / %`,
/// prefix `- !`, postfix (calls, reads, `else` defaults).
///
/// Every later walk of an expression (checker, evaluators, printers) recurses once per level of its tree, so the
/// parser bounds both its own recursion and the height of the tree it builds (see `ExprDepth`): a hostile file
/// gets a located error instead of overflowing the stack.
extension TokenStream {
    static let reductions: Set<String> = ["sum", "prod", "max", "min", "argmax", "argmin"]

    mutating func expression() throws -> Expr { try parsedExpression().expr }

    /// Additive level: used for reduction bounds and ranges, where `<` and `..` end the expression.
    mutating func additive() throws -> Expr { try binaryLevel(3).expr }

    mutating func indexItem() throws -> IndexItem { try parsedIndexItem().item }

    private mutating func parsedExpression() throws -> ParsedExpr {
        let condition = try binaryLevel(0)
        guard let question = peek, accept("?") else { return condition }
        let a = try parsedExpression()
        try expect(":")
        let b = try parsedExpression()
        return try ParsedExpr(.conditional(condition.expr, a.expr, b.expr), condition.expr.location, [condition, a, b], at: question.location)
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]]

    /// One precedence level; a chain `a + b + c` is a loop, but each operator adds a level to the tree it builds.
    private mutating func binaryLevel(_ level: Int) throws -> ParsedExpr {
        if level == Self.levels.count { return try prefix() }
        var lhs = try binaryLevel(level + 1)
        while let t = peek, case .symbol(let s) = t.kind, Self.levels[level].contains(s) {
            position += 1
            let rhs = try binaryLevel(level + 1)
            lhs = try ParsedExpr(.binary(s, lhs.expr, rhs.expr), t.location, [lhs, rhs], at: t.location)
            if level == 2, let n = peek, case .symbol(let s2) = n.kind, Self.levels[2].contains(s2) {
                throw SpecError(n.location, "comparisons do not chain; use '&&'")
            }
        }
        return lhs
    }

    /// Every recursion of the parser passes through here, so this is where its depth is counted.
    private mutating func prefix() throws -> ParsedExpr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > ExprDepth.limit { throw error(ExprDepth.message) }
        if let t = peek, t.isSymbol("-") || t.isSymbol("!") {
            position += 1
            let operand = try prefix()
            if case .symbol(let s) = t.kind, s == "-" {
                if case .integer(let v) = operand.expr.kind { return ParsedExpr(leaf: .integer(-v), t.location) }
                if case .real(let v) = operand.expr.kind { return ParsedExpr(leaf: .real(-v), t.location) }
                return try ParsedExpr(.unary("-", operand.expr), t.location, [operand], at: t.location)
            }
            return try ParsedExpr(.unary("!", operand.expr), t.location, [operand], at: t.location)
        }
        return try postfix()
    }

    private mutating func postfix() throws -> ParsedExpr {
        let t = try next()
        switch t.kind {
        case .integer(let v): return ParsedExpr(leaf: .integer(v), t.location)
        case .real(let v): return ParsedExpr(leaf: .real(v), t.location)
        case .string(let s): return ParsedExpr(leaf: .string(s), t.location)
        case .symbol("("):
            let e = try parsedExpression()
            try expect(")")
            return e
        case .symbol("["):
            let items = try list(close: "]") { try $0.parsedExpression() }
            return try ParsedExpr(.vector(items.map(\.expr)), t.location, items, at: t.location)
        case .identifier("let") where peek?.identifier != nil && peek(1)?.isSymbol("=") == true:
            return try localLet(t.location)
        case .identifier(let name):
            return try afterName(name, t.location)
        case .symbol(let s):
            throw SpecError(t.location, "expected an expression, found '\(s)'")
        }
    }

    private mutating func afterName(_ name: String, _ location: SourceLocation) throws -> ParsedExpr {
        if Self.reductions.contains(name), peek?.isSymbol("(") == true, let r = try reduction(name, location) {
            return r
        }
        if accept("(") {
            let args = try list(close: ")") { try $0.parsedExpression() }
            return try ParsedExpr(.call(name, args.map(\.expr)), location, args, at: location)
        }
        if accept("[") {
            let items = try list(close: "]") { try $0.parsedIndexItem() }
            var fallback: ParsedExpr?
            if acceptKeyword("else") { fallback = try prefix() }
            let children = items.map(\.parsed) + (fallback.map { [$0] } ?? [])
            return try ParsedExpr(.read(name, items.map(\.item), default: fallback?.expr), location, children, at: location)
        }
        return ParsedExpr(leaf: .name(name), location)
    }

    /// `let d = value in body`: the body with every use of `d` replaced by the value, so no evaluator sees the
    /// let. A loop variable of the body may not rebind a name the value uses (the value would change meaning).
    private mutating func localLet(_ location: SourceLocation) throws -> ParsedExpr {
        let (name, nameLocation) = try identifier("a name")
        try expect("=")
        let value = try parsedExpression()
        try expectKeyword("in")
        let body = try parsedExpression()
        let used = LocalLet.names(value.expr)
        let substituted = try body.expr.rewritten { e in
            switch e.kind {
            case .name(let n) where n == name: return value.expr
            case .read(let n, _, _) where n == name: throw SpecError(e.location, "'\(name)' is a local value, not a tensor: it cannot be indexed")
            case .reduce(_, let binders, _):
                if let b = binders.first(where: { $0.name == name || used.contains($0.name) }) {
                    throw SpecError(b.location, b.name == name ? "loop variable '\(name)' hides the local '\(name)'"
                                    : "loop variable '\(b.name)' would capture '\(b.name)' in the value of '\(name)'; rename it")
                }
                return nil
            default: return nil
            }
        }
        guard body.height + value.height <= ExprDepth.limit else { throw SpecError(nameLocation, ExprDepth.message) }
        return ParsedExpr(substituted, height: body.height + value.height)
    }

    /// Tries `name(binders) body`; restores the position and returns nil when the parenthesis holds no binders.
    private mutating func reduction(_ name: String, _ location: SourceLocation) throws -> ParsedExpr? {
        let saved = position
        position += 1  // (
        var binders: [Binder] = []
        var bounds: [ParsedExpr] = []
        while true {
            let isVector = accept("*")
            guard let (var_, varLoc) = try? identifier("a loop variable"), accept("<") else {
                position = saved
                return nil
            }
            let bound = try binaryLevel(3)
            bounds.append(bound)
            binders.append(Binder(name: var_, isVector: isVector, bound: bound.expr, location: varLoc))
            if accept(")") { break }
            try expect(",")
        }
        guard let t = peek, Self.startsExpression(t) else {
            if name == "max" || name == "min" { position = saved; return nil }
            throw error("expected the body of '\(name)' after its loop variables, found \(found)")
        }
        // The body extends as far as possible, like a lambda's: `sum(k < K) A[k] * B[k]`.
        let body = try parsedExpression()
        return try ParsedExpr(.reduce(name, binders, body.expr), location, bounds + [body], at: location)
    }

    static func startsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .integer, .real: return true
        case .symbol(let s): return s == "(" || s == "-" || s == "!" || s == "["
        case .string: return false
        }
    }

    private mutating func parsedIndexItem() throws -> (item: IndexItem, parsed: ParsedExpr) {
        if accept("*") {
            let e = try prefix()
            return (.splice(e.expr), e)
        }
        let e = try parsedExpression()
        return (.scalar(e.expr), e)
    }

    /// Parses `item, item, ...` up to and including `close`.
    mutating func list<T>(close: String, _ item: (inout TokenStream) throws -> T) throws -> [T] {
        var items: [T] = []
        if accept(close) { return items }
        while true {
            items.append(try item(&self))
            if accept(close) { return items }
            guard accept(",") else { throw error("expected ',' or '\(close)', found \(found)") }
        }
    }
}
