/// The kinds of token the spec lexer produces.
public enum TokenKind: Hashable, Sendable {
    case identifier(String)
    case integer(Int)
    case real(Double)
    case string(String)
    /// Operators and punctuation, spelled as in the source (`[`, `..`, `&&`, ...).
    case symbol(String)
}

/// A token with the place it starts.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var location: SourceLocation

    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    func isSymbol(_ s: String) -> Bool {
        if case .symbol(let t) = kind { return t == s }
        return false
    }

    var spelling: String {
        switch kind {
        case .identifier(let s): return s
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .string(let s): return "\"\(s)\""
        case .symbol(let s): return s
        }
    }
}

/// One statement: a line plus the indented lines that continue it.
public struct StatementTokens: Sendable {
    public var tokens: [Token]
    /// Where the statement's line ends, for "expected ... at end of line" errors.
    public var end: SourceLocation
}
