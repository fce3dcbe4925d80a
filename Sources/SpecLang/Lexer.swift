/// Splits a spec file into statements of tokens.
///
/// A statement starts at a line whose first character is not whitespace; lines that
/// start with whitespace continue it. `#` starts a comment that runs to the end of the line.
public struct Lexer {
    let file: String
    let lines: [Substring]

    public init(file: String, source: String) {
        self.file = file
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Tokenizes the whole file.
    public func statements() throws -> [StatementTokens] {
        var result: [StatementTokens] = []
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = Array(rawLine.unicodeScalars)
            let tokens = try tokenize(line, lineNumber: lineNumber)
            if tokens.isEmpty { continue }
            let end = SourceLocation(file: file, line: lineNumber, column: line.count + 1)
            let continues = line.first.map { $0 == " " || $0 == "\t" } ?? false
            if continues {
                guard !result.isEmpty else {
                    throw SpecError(tokens[0].location, "indented line continues no statement")
                }
                result[result.count - 1].tokens += tokens
                result[result.count - 1].end = end
            } else {
                result.append(StatementTokens(tokens: tokens, end: end))
            }
        }
        return result
    }

    private static let twoCharSymbols: Set<String> = ["..", "==", "!=", "<=", ">=", "&&", "||", "->"]
    private static let oneCharSymbols: Set<Character> = ["[", "]", "(", ")", ",", ":", "=", "<", ">", "+", "-", "*", "/", "%", "?", "!", ";", "~"]

    /// The tokens of `text`, a piece of one line that starts at `location` (an expression inside a string).
    static func tokens(of text: String, at location: SourceLocation) throws -> StatementTokens {
        let lexer = Lexer(file: location.file, source: text)
        let line = Array(text.unicodeScalars)
        let tokens = try lexer.tokenize(line, lineNumber: location.line, columnOffset: location.column - 1)
        return StatementTokens(tokens: tokens, end: SourceLocation(file: location.file, line: location.line, column: location.column + line.count))
    }

    private func tokenize(_ line: [Unicode.Scalar], lineNumber: Int, columnOffset: Int = 0) throws -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func loc(_ col: Int) -> SourceLocation { SourceLocation(file: file, line: lineNumber, column: columnOffset + col + 1) }
        while i < line.count {
            let c = line[i]
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "#" { break }
            let start = i
            if c.properties.isAlphabetic || c == "_" {
                while i < line.count, line[i].properties.isAlphabetic || line[i] == "_" || ("0"..."9").contains(line[i]) { i += 1 }
                tokens.append(Token(kind: .identifier(String(String.UnicodeScalarView(line[start..<i]))), location: loc(start)))
            } else if ("0"..."9").contains(c) {
                tokens.append(try number(line, &i, loc(start)))
            } else if c == "\"" {
                i += 1
                while i < line.count, line[i] != "\"" { i += 1 }
                guard i < line.count else { throw SpecError(loc(start), "unterminated string") }
                tokens.append(Token(kind: .string(String(String.UnicodeScalarView(line[(start + 1)..<i]))), location: loc(start)))
                i += 1
            } else if i + 1 < line.count, Self.twoCharSymbols.contains(String(c) + String(line[i + 1])) {
                tokens.append(Token(kind: .symbol(String(c) + String(line[i + 1])), location: loc(start)))
                i += 2
            } else if Self.oneCharSymbols.contains(Character(c)) {
                tokens.append(Token(kind: .symbol(String(c)), location: loc(start)))
                i += 1
            } else {
                throw SpecError(loc(start), "unexpected character '\(Character(c))'")
            }
        }
        return tokens
    }

    /// Reads an integer or real literal; `1..3` lexes as `1`, `..`, `3`.
    private func number(_ line: [Unicode.Scalar], _ i: inout Int, _ location: SourceLocation) throws -> Token {
        let start = i
        func isDigit(_ k: Int) -> Bool { k < line.count && ("0"..."9").contains(line[k]) }
        while isDigit(i) { i += 1 }
        var isReal = false
        if i < line.count, line[i] == ".", isDigit(i + 1) {
            isReal = true
            i += 1
            while isDigit(i) { i += 1 }
        }
        if i < line.count, line[i] == "e" || line[i] == "E" {
            var k = i + 1
            if k < line.count, line[k] == "-" || line[k] == "+" { k += 1 }
            if isDigit(k) {
                isReal = true
                i = k
                while isDigit(i) { i += 1 }
            }
        }
        let text = String(String.UnicodeScalarView(line[start..<i]))
        if isReal {
            guard let v = Double(text) else { throw SpecError(location, "malformed number '\(text)'") }
            return Token(kind: .real(v), location: location)
        }
        guard let v = Int(text) else { throw SpecError(location, "integer '\(text)' is too large") }
        return Token(kind: .integer(v), location: location)
    }
}
