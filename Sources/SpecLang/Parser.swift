/// Parses one spec file into a `SpecFile` (syntax only; `Checker` checks meaning).
public enum Parser {
    /// Parses `source`, reporting errors against `path`.
    public static func parse(path: String, source: String) throws -> SpecFile {
        let statements = try Lexer(file: path, source: source).statements()
        var spec = SpecFile(path: path, nameLocation: SourceLocation(file: path, line: 1, column: 1))
        guard let first = statements.first else {
            throw SpecError(SourceLocation(file: path, line: 1, column: 1), "empty spec: expected 'op Name'")
        }
        var stream = TokenStream(first)
        guard stream.acceptKeyword("op") else { throw stream.error("a spec starts with 'op Name', found \(stream.found)") }
        (spec.name, spec.nameLocation) = try stream.identifier("the operator name")
        try stream.expectEnd()
        for statement in statements.dropFirst() {
            var s = TokenStream(statement)
            try parseStatement(&s, into: &spec)
            try s.expectEnd()
        }
        return spec
    }

    static let keywords = ["op", "doc", "onnx", "torch", "types", "attr", "input", "weight", "output", "let", "require", "domain", "stage", "compute", "identity", "tolerance"]

    private static func parseStatement(_ s: inout TokenStream, into spec: inout SpecFile) throws {
        let (keyword, location) = try s.identifier("a statement keyword")
        switch keyword {
        case "doc":
            guard let t = s.peek, case .string(let text) = t.kind else { throw s.error("expected a string after 'doc', found \(s.found)") }
            s.position += 1
            spec.doc = text
        case "onnx":
            spec.onnxMappings.append(try onnx(&s, location))
        case "torch":
            spec.torchMappings.append(try TorchTemplate.mapping(&s, location))
        case "types":
            repeat { spec.typeVars.append(try typeVar(&s)) } while s.accept(";")
        case "attr":
            spec.attributes.append(try attribute(&s))
        case "input", "weight", "output":
            spec.ports.append(try port(&s, PortDecl.Role(rawValue: keyword)!))
        case "let":
            let (name, loc) = try s.identifier("a name")
            try s.expect("=")
            spec.lets.append(LetDecl(name: name, value: try s.expression(), location: loc))
        case "require":
            spec.requires += try commaSeparated(&s) { try $0.expression() }
        case "domain":
            let (name, loc) = try s.identifier("an input name")
            try s.expect(":")
            spec.domains.append(DomainDecl(tensor: name, condition: try s.expression(), location: loc))
        case "stage":
            spec.stages.append(try definition(&s, isStage: true))
        case "compute":
            spec.computes.append(try definition(&s, isStage: false))
        case "identity":
            spec.identities.append(try identity(&s))
        case "tolerance":
            spec.tolerances.append(try tolerance(&s))
        case "op":
            throw SpecError(location, "a second 'op' line: one operator per file")
        default:
            let hint = closest(keyword, in: keywords).map { "; did you mean '\($0)'?" } ?? ""
            throw SpecError(location, "unknown statement '\(keyword)'\(hint)")
        }
    }

    private static func commaSeparated<T>(_ s: inout TokenStream, _ item: (inout TokenStream) throws -> T) throws -> [T] {
        var items = [try item(&s)]
        while s.accept(",") { items.append(try item(&s)) }
        return items
    }

    private static func onnx(_ s: inout TokenStream, _ location: SourceLocation) throws -> OnnxMapping {
        let (opType, _) = try s.identifier("an ONNX operator type")
        try s.expectKeyword("opset")
        var mapping = OnnxMapping(opType: opType, opset: try s.integer("an opset version"), attributes: [], inputs: nil, location: location)
        if s.acceptKeyword("same") { mapping.same = try opsetRange(&s) }
        if s.accept("(") {
            _ = try s.list(close: ")") { s -> Void in
                let (key, keyLoc) = try s.identifier("an ONNX attribute name")
                try s.expect("=")
                if key == "inputs" {
                    guard mapping.inputs == nil else { throw SpecError(keyLoc, "'inputs' given twice") }
                    try s.expect("[")
                    mapping.inputs = try s.list(close: "]") { try onnxInput(&$0) }
                } else {
                    mapping.attributes.append((key, try s.expression()))
                }
            }
        }
        if s.acceptKeyword("when") { mapping.condition = try s.expression() }
        return mapping
    }

    /// `A..` or `A..B` after `same`.
    /// `DTYPE rtol NUMBER` after `tolerance`.
    private static func tolerance(_ s: inout TokenStream) throws -> ToleranceDecl {
        let (dtype, location) = try s.identifier("a float dtype (f16, bf16, f32, f64)")
        guard ["f16", "bf16", "f32", "f64"].contains(dtype) else { throw SpecError(location, "'\(dtype)' is not a float dtype (f16, bf16, f32, f64)") }
        try s.expectKeyword("rtol")
        let value = try s.expression()
        let rtol: Double
        switch value.kind {
        case .real(let v): rtol = v
        case .integer(let v): rtol = Double(v)
        default: throw SpecError(value.location, "expected a number after 'rtol'")
        }
        guard rtol > 0, rtol < 1 else { throw SpecError(value.location, "rtol must be between 0 and 1") }
        return ToleranceDecl(dtype: dtype, rtol: rtol, location: location)
    }

    private static func opsetRange(_ s: inout TokenStream) throws -> OpsetRange {
        let lowest = try s.integer("the lowest opset with the same meaning")
        try s.expect("..")
        guard let t = s.peek, case .integer = t.kind else { return OpsetRange(lowest: lowest, highest: nil) }
        return OpsetRange(lowest: lowest, highest: try s.integer("the highest opset with the same meaning"))
    }

    private static func onnxInput(_ s: inout TokenStream) throws -> OnnxInput {
        let (word, loc) = try s.identifier("an input name, 'const' or 'none'")
        if word == "none" { return .omitted }
        if word == "const" {
            let (dtype, _) = try s.identifier("a dtype")
            return .constant(dtype: dtype, try s.expression())
        }
        return .port(word, loc)
    }

    private static func typeVar(_ s: inout TokenStream) throws -> TypeVarDecl {
        let (name, loc) = try s.identifier("a type variable")
        try s.expectKeyword("in")
        let allowed = try commaSeparated(&s) { try $0.identifier("a dtype or dtype group").0 }
        return TypeVarDecl(name: name, allowed: allowed, location: loc)
    }

    private static func port(_ s: inout TokenStream, _ role: PortDecl.Role) throws -> PortDecl {
        let (name, loc) = try s.identifier("a tensor name")
        try s.expect(":")
        let (typeName, typeLoc) = try s.identifier("a dtype or type variable")
        try s.expect("[")
        let shape = try s.list(close: "]") { try $0.indexItem() }
        var decl = PortDecl(role: role, name: name, type: TypeRef(name: typeName, location: typeLoc), shape: shape, location: loc)
        if s.acceptKeyword("if") {
            let condition = try s.expression()
            try s.expectKeyword("else")
            decl.presence = Presence(condition: condition, fallback: try s.expression())
        }
        return decl
    }

    private static func definition(_ s: inout TokenStream, isStage: Bool) throws -> Definition {
        let (target, loc) = try s.identifier("a tensor name")
        try s.expect("[")
        let indices = try s.list(close: "]") { s -> IndexVariable in
            let isVector = s.accept("*")
            let (name, l) = try s.identifier("an index variable")
            return IndexVariable(name: name, isVector: isVector, location: l)
        }
        var shape: [IndexItem]?
        if isStage {
            try s.expect(":")
            try s.expect("[")
            shape = try s.list(close: "]") { try $0.indexItem() }
        }
        try s.expect("=")
        return Definition(target: target, indices: indices, shape: shape, body: try s.expression(), location: loc)
    }

    private static func identity(_ s: inout TokenStream) throws -> IdentityDecl {
        let (name, loc) = try s.identifier("an identity name")
        try s.expect(":")
        let lhs = try term(&s)
        try s.expect("==")
        return IdentityDecl(name: name, lhs: lhs, rhs: try term(&s), location: loc)
    }

    private static func term(_ s: inout TokenStream) throws -> Term {
        // Terms nest like expressions, and are walked recursively like them.
        s.nesting += 1
        defer { s.nesting -= 1 }
        if s.nesting > ExprDepth.limit { throw s.error(ExprDepth.message) }
        let (name, loc) = try s.identifier("an operator or variable")
        guard s.accept("(") else { return .variable(name, loc) }
        var args: [Term] = []
        var attributes: [String: Expr] = [:]
        _ = try s.list(close: ")") { s -> Void in
            if s.peek?.identifier != nil, s.peek(1)?.isSymbol("=") == true {
                let (key, _) = try s.identifier("an attribute")
                try s.expect("=")
                attributes[key] = try s.expression()
            } else {
                args.append(try term(&s))
            }
        }
        return .apply(op: name, args: args, attributes: attributes, loc)
    }

    private static func attribute(_ s: inout TokenStream) throws -> AttrDecl {
        let (name, loc) = try s.identifier("an attribute name")
        try s.expect(":")
        let kind = try attrKind(&s)
        var range: (Expr, Expr)?
        if s.acceptKeyword("in") {
            if case .dtype = kind {
                let names = try commaSeparated(&s) { try $0.identifier("a dtype or group").0 }
                return try attributeTail(&s, AttrDecl(name: name, kind: .dtype(allowed: names), range: nil, defaultValue: nil, location: loc))
            }
            let low = try s.additive()
            try s.expect("..")
            range = (low, try s.additive())
        }
        return try attributeTail(&s, AttrDecl(name: name, kind: kind, range: range, defaultValue: nil, location: loc))
    }

    private static func attributeTail(_ s: inout TokenStream, _ decl: AttrDecl) throws -> AttrDecl {
        var d = decl
        guard s.accept("=") else { return d }
        if s.acceptKeyword("all") { d.defaultValue = .all } else { d.defaultValue = .expr(try s.expression()) }
        return d
    }

    private static func attrKind(_ s: inout TokenStream) throws -> AttrKind {
        let (word, loc) = try s.identifier("an attribute kind")
        switch word {
        case "int": return .int
        case "real": return .real
        case "bool": return .bool
        case "dtype": return .dtype(allowed: [])
        case "ints":
            guard s.accept("[") else { return .ints(length: nil) }
            let n = try s.expression()
            try s.expect("]")
            return .ints(length: n)
        case "enum":
            try s.expect("(")
            return .enumeration(try s.list(close: ")") { try $0.identifier("an enum case").0 })
        case "perm", "axes":
            try s.expect("(")
            let n = try s.expression()
            try s.expect(")")
            return word == "perm" ? .perm(n) : .axes(n)
        default:
            throw SpecError(loc, "unknown attribute kind '\(word)' (expected int, real, bool, ints, enum, dtype, perm or axes)")
        }
    }

    /// The closest candidate within edit distance 2, for "did you mean" hints.
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        Suggestions.closest(to: word, among: candidates, limit: 2, caseSensitive: true).first
    }
}
