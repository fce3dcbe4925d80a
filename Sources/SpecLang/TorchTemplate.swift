/// Reads a `torch` line: `torch "F.softmax($X, dim=$axis)" [when cond]`.
///
/// The string is Python text with placeholders: `$name` (an input's tensor, or the value of an attribute, `let`,
/// type variable or shape symbol) and `$(expression)` (any spec expression over those). Python strings inside
/// use single quotes, since a spec string cannot hold a double quote.
enum TorchTemplate {
    static func mapping(_ s: inout TokenStream, _ location: SourceLocation) throws -> TorchMapping {
        guard let t = s.peek, case .string(let text) = t.kind else {
            throw s.error("expected the Python expression as a string after 'torch', found \(s.found)")
        }
        s.position += 1
        // The text starts one column after the opening quote.
        let start = SourceLocation(file: t.location.file, line: t.location.line, column: t.location.column + 1)
        let pieces = try self.pieces(of: text, at: start)
        guard pieces.contains(where: { if case .text(let x) = $0 { return !x.allSatisfy(\.isWhitespace) } else { return true } }) else {
            throw SpecError(t.location, "empty 'torch' expression")
        }
        var mapping = TorchMapping(pieces: pieces, condition: nil, location: location)
        if s.acceptKeyword("when") { mapping.condition = try s.expression() }
        return mapping
    }

    /// Splits the template into text and placeholders.
    static func pieces(of text: String, at start: SourceLocation) throws -> [TorchPiece] {
        let chars = Array(text.unicodeScalars)
        var pieces: [TorchPiece] = []
        var literal = ""
        var i = 0
        func location(_ k: Int) -> SourceLocation { SourceLocation(file: start.file, line: start.line, column: start.column + k) }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
        while i < chars.count {
            let c = chars[i]
            guard c == "$" else {
                literal.unicodeScalars.append(c)
                i += 1
                continue
            }
            if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
            if i + 1 < chars.count, chars[i + 1] == "(" {
                let close = try matchingParenthesis(chars, from: i + 1, location(i))
                let inner = String(String.UnicodeScalarView(chars[(i + 2)..<close]))
                var stream = TokenStream(try Lexer.tokens(of: inner, at: location(i + 2)))
                guard !stream.atEnd else { throw SpecError(location(i), "empty placeholder '$()'") }
                let e = try stream.expression()
                try stream.expectEnd()
                pieces.append(.placeholder(e))
                i = close + 1
            } else if i + 1 < chars.count, isNameStart(chars[i + 1]) {
                var k = i + 1
                while k < chars.count, isNameStart(chars[k]) || ("0"..."9").contains(chars[k]) { k += 1 }
                let name = String(String.UnicodeScalarView(chars[(i + 1)..<k]))
                pieces.append(.placeholder(Expr(.name(name), location(i + 1))))
                i = k
            } else {
                throw SpecError(location(i), "'$' starts a placeholder: '$name' or '$(expression)'")
            }
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    private static func matchingParenthesis(_ chars: [Unicode.Scalar], from open: Int, _ at: SourceLocation) throws -> Int {
        var depth = 0
        for k in open..<chars.count {
            if chars[k] == "(" { depth += 1 }
            if chars[k] == ")" { depth -= 1; if depth == 0 { return k } }
        }
        throw SpecError(at, "unclosed '$(' placeholder")
    }
}
