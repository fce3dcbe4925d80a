/// Recursive-descent parsing of spec expressions.
///
/// Precedence, lowest first: `?:`, `||`, `&&`, comparisons, `+ -`, `* / %`,
/// prefix `- !`, postfix (calls, reads, `else` defaults).
extension TokenStream {
    static let reductions: Set<String> = ["sum", "prod", "max", "min", "argmax", "argmin"]

    mutating func expression() throws -> Expr {
        let condition = try binaryLevel(0)
        guard accept("?") else { return condition }
        let a = try expression()
        try expect(":")
        let b = try expression()
        return Expr(.conditional(condition, a, b), condition.location)
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]]

    /// Additive level: used for reduction bounds and ranges, where `<` and `..` end the expression.
    mutating func additive() throws -> Expr { try binaryLevel(3) }

    private mutating func binaryLevel(_ level: Int) throws -> Expr {
        if level == Self.levels.count { return try prefix() }
        var lhs = try binaryLevel(level + 1)
        while let t = peek, case .symbol(let s) = t.kind, Self.levels[level].contains(s) {
            position += 1
            let rhs = try binaryLevel(level + 1)
            lhs = Expr(.binary(s, lhs, rhs), t.location)
            if level == 2, let n = peek, case .symbol(let s2) = n.kind, Self.levels[2].contains(s2) {
                throw SpecError(n.location, "comparisons do not chain; use '&&'")
            }
        }
        return lhs
    }

    private mutating func prefix() throws -> Expr {
        if let t = peek, t.isSymbol("-") || t.isSymbol("!") {
            position += 1
            let operand = try prefix()
            if case .symbol(let s) = t.kind, s == "-" {
                if case .integer(let v) = operand.kind { return Expr(.integer(-v), t.location) }
                if case .real(let v) = operand.kind { return Expr(.real(-v), t.location) }
                return Expr(.unary("-", operand), t.location)
            }
            return Expr(.unary("!", operand), t.location)
        }
        return try postfix()
    }

    private mutating func postfix() throws -> Expr {
        let t = try next()
        switch t.kind {
        case .integer(let v): return Expr(.integer(v), t.location)
        case .real(let v): return Expr(.real(v), t.location)
        case .string(let s): return Expr(.string(s), t.location)
        case .symbol("("):
            let e = try expression()
            try expect(")")
            return e
        case .symbol("["):
            let items = try list(close: "]") { try $0.expression() }
            return Expr(.vector(items), t.location)
        case .identifier(let name):
            return try afterName(name, t.location)
        case .symbol(let s):
            throw SpecError(t.location, "expected an expression, found '\(s)'")
        }
    }

    private mutating func afterName(_ name: String, _ location: SourceLocation) throws -> Expr {
        if Self.reductions.contains(name), peek?.isSymbol("(") == true, let r = try reduction(name, location) {
            return r
        }
        if accept("(") {
            let args = try list(close: ")") { try $0.expression() }
            return Expr(.call(name, args), location)
        }
        if accept("[") {
            let items = try list(close: "]") { try $0.indexItem() }
            var fallback: Expr?
            if acceptKeyword("else") { fallback = try prefix() }
            return Expr(.read(name, items, default: fallback), location)
        }
        return Expr(.name(name), location)
    }

    /// Tries `name(binders) body`; restores the position and returns nil when the parenthesis holds no binders.
    private mutating func reduction(_ name: String, _ location: SourceLocation) throws -> Expr? {
        let saved = position
        position += 1  // (
        var binders: [Binder] = []
        while true {
            let isVector = accept("*")
            guard let (var_, varLoc) = try? identifier("a loop variable"), accept("<") else {
                position = saved
                return nil
            }
            let bound = try additive()
            binders.append(Binder(name: var_, isVector: isVector, bound: bound, location: varLoc))
            if accept(")") { break }
            try expect(",")
        }
        guard let t = peek, Self.startsExpression(t) else {
            if name == "max" || name == "min" { position = saved; return nil }
            throw error("expected the body of '\(name)' after its loop variables, found \(found)")
        }
        // The body extends as far as possible, like a lambda's: `sum(k < K) A[k] * B[k]`.
        let body = try expression()
        return Expr(.reduce(name, binders, body), location)
    }

    static func startsExpression(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .integer, .real: return true
        case .symbol(let s): return s == "(" || s == "-" || s == "!" || s == "["
        case .string: return false
        }
    }

    mutating func indexItem() throws -> IndexItem {
        if accept("*") { return .splice(try prefix()) }
        return .scalar(try expression())
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
