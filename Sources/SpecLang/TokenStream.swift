/// A cursor over one statement's tokens, with errors that point at the offending token.
struct TokenStream {
    let tokens: [Token]
    let end: SourceLocation
    var position = 0
    /// How deep the expression parser's recursion is now (see `ExprDepth`).
    var nesting = 0

    init(_ statement: StatementTokens) {
        tokens = statement.tokens
        end = statement.end
    }

    var atEnd: Bool { position >= tokens.count }
    var peek: Token? { position < tokens.count ? tokens[position] : nil }
    func peek(_ offset: Int) -> Token? { position + offset < tokens.count ? tokens[position + offset] : nil }
    var location: SourceLocation { peek?.location ?? end }

    mutating func next() throws -> Token {
        guard let t = peek else { throw SpecError(end, "unexpected end of line") }
        position += 1
        return t
    }

    func error(_ message: String) -> SpecError { SpecError(location, message) }

    /// Describes the current token for "expected X, found Y" messages.
    var found: String { peek.map { "'\($0.spelling)'" } ?? "end of line" }

    mutating func accept(_ symbol: String) -> Bool {
        if peek?.isSymbol(symbol) == true { position += 1; return true }
        return false
    }

    mutating func acceptKeyword(_ word: String) -> Bool {
        if peek?.identifier == word { position += 1; return true }
        return false
    }

    mutating func expect(_ symbol: String) throws {
        guard accept(symbol) else { throw error("expected '\(symbol)', found \(found)") }
    }

    mutating func expectKeyword(_ word: String) throws {
        guard acceptKeyword(word) else { throw error("expected '\(word)', found \(found)") }
    }

    mutating func identifier(_ what: String) throws -> (String, SourceLocation) {
        guard let t = peek, let name = t.identifier else { throw error("expected \(what), found \(found)") }
        position += 1
        return (name, t.location)
    }

    mutating func integer(_ what: String) throws -> Int {
        guard let t = peek, case .integer(let v) = t.kind else { throw error("expected \(what), found \(found)") }
        position += 1
        return v
    }

    func expectEnd() throws {
        if !atEnd { throw error("unexpected \(found) at end of statement") }
    }
}
