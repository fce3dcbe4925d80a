import SpecLang
import TensorCore

/// Checks a parsed spec's meaning and derives an `OpSpec`; every error points at a line and column.
public struct Checker {
    enum NameKind: Equatable { case typeVar, attribute, tensor, dim, group, letValue, stage, local(isVector: Bool), enumCase }

    let file: SpecFile
    var names: [String: NameKind] = [:]

    /// Checks `file`; `family` is the folder it came from.
    public static func check(_ file: SpecFile, family: String) throws -> OpSpec {
        var checker = Checker(file: file)
        return try checker.run(family: family)
    }

    private init(file: SpecFile) { self.file = file }

    private mutating func declare(_ name: String, _ kind: NameKind, _ location: SourceLocation) throws {
        if names[name] != nil { throw SpecError(location, "'\(name)' is already declared") }
        if Self.reserved.contains(name) { throw SpecError(location, "'\(name)' is a reserved name") }
        names[name] = kind
    }

    static let reserved: Set<String> = ["rank", "cast", "else", "all", "const", "none", "in", "inf"]

    private mutating func run(family: String) throws -> OpSpec {
        var typeVariables: [String: [DType]] = [:]
        for tv in file.typeVars {
            try declare(tv.name, .typeVar, tv.location)
            guard let allowed = DTypeGroups.resolve(all: tv.allowed) else {
                let bad = tv.allowed.first { DTypeGroups.resolve($0) == nil } ?? "?"
                throw SpecError(tv.location, "unknown dtype or group '\(bad)' in type variable '\(tv.name)'")
            }
            typeVariables[tv.name] = allowed
        }
        let dtypeAttributes = Set(file.attributes.compactMap { a -> String? in
            if case .dtype = a.kind { return a.name }
            return nil
        })
        for port in file.ports {
            try declare(port.name, .tensor, port.location)
            let isAttributeTyped = port.role == .output && dtypeAttributes.contains(port.type.name)
            if typeVariables[port.type.name] == nil && DType(rawValue: port.type.name) == nil && !isAttributeTyped {
                let what = names[port.type.name] == nil ? "unknown type '\(port.type.name)'" : "'\(port.type.name)' is not a type variable or dtype"
                throw SpecError(port.type.location, "\(what) for '\(port.name)'; declare it with 'types \(port.type.name) in ...'")
            }
        }
        guard !file.outputs.isEmpty else { throw SpecError(file.nameLocation, "operator '\(file.name)' has no output") }
        var enumCases: Set<String> = []
        for attr in file.attributes {
            try declare(attr.name, .attribute, attr.location)
            if case .enumeration(let cases) = attr.kind { enumCases.formUnion(cases) }
            if case .dtype(let allowed) = attr.kind, !allowed.isEmpty, DTypeGroups.resolve(all: allowed) == nil {
                throw SpecError(attr.location, "unknown dtype in the allowed list of '\(attr.name)'")
            }
        }
        let (dims, groups) = try bindShapeSymbols()
        for l in file.lets { try declare(l.name, .letValue, l.location) }
        for s in file.stages { try declare(s.target, .stage, s.location) }
        for c in enumCases where names[c] == nil { names[c] = .enumCase }
        try checkAttributes()
        try checkExpressions()
        try checkDefinitions()
        try checkDefinitionOrder()
        try checkOnnx()
        try checkTorch()
        return OpSpec(file: file, family: family, dimSymbols: dims, groupSymbols: groups, typeVariables: typeVariables, enumCases: enumCases)
    }

    /// Names that appear alone as an item of an input or weight shape become dims or groups.
    private mutating func bindShapeSymbols() throws -> (Set<String>, Set<String>) {
        var dims: Set<String> = [], groups: Set<String> = []
        let attributeNames = Set(file.attributes.map(\.name)), letNames = Set(file.lets.map(\.name))
        for port in file.inputs {
            for item in port.shape {
                guard case .name(let n) = item.expr.kind, !attributeNames.contains(n), !letNames.contains(n) else { continue }
                if item.isSplice {
                    if dims.contains(n) { throw SpecError(item.expr.location, "'\(n)' is a dim here but a shape group elsewhere") }
                    if groups.insert(n).inserted { try declare(n, .group, item.expr.location) }
                } else {
                    if groups.contains(n) { throw SpecError(item.expr.location, "'\(n)' is a shape group here but a dim elsewhere") }
                    if dims.insert(n).inserted { try declare(n, .dim, item.expr.location) }
                }
            }
        }
        return (dims, groups)
    }

    private func checkAttributes() throws {
        for attr in file.attributes {
            switch attr.kind {
            case .ints(let n?), .perm(let n), .axes(let n): try checkExpr(n, locals: [:])
            default: break
            }
            if let r = attr.range { try checkExpr(r.low, locals: [:]); try checkExpr(r.high, locals: [:]) }
            switch attr.defaultValue {
            case .all?:
                guard case .axes = attr.kind else { throw SpecError(attr.location, "'= all' is only for axes attributes") }
            case .expr(let e)?:
                if case .enumeration(let cases) = attr.kind {
                    guard case .name(let n) = e.kind, cases.contains(n) else {
                        throw SpecError(e.location, "default of '\(attr.name)' must be one of \(cases.joined(separator: ", "))")
                    }
                } else if case .dtype = attr.kind {
                    guard case .name(let n) = e.kind, DType(rawValue: n) != nil else { throw SpecError(e.location, "default of '\(attr.name)' must be a dtype") }
                } else {
                    try checkExpr(e, locals: [:])
                }
            case nil: break
            }
        }
    }

    private func checkExpressions() throws {
        for port in file.ports { for item in port.shape { try checkExpr(item.expr, locals: [:]) } }
        for port in file.ports { if let p = port.presence { try checkPresence(port, p) } }
        for l in file.lets { try checkExpr(l.value, locals: [:]) }
        for r in file.requires { try checkExpr(r, locals: [:]) }
        for d in file.domains {
            if file.inputs.contains(where: { $0.name == d.tensor }) {
                try checkExpr(d.condition, locals: [:], elementOf: d.tensor)
            } else if file.stages.contains(where: { $0.target == d.tensor }) {
                // A stage's domain may also read the other stages, element by element at the same index.
                try checkExpr(d.condition, locals: Dictionary(file.stages.map { ($0.target, false) }, uniquingKeysWith: { a, _ in a }),
                              elementOf: d.tensor)
            } else {
                throw SpecError(d.location, "domain names '\(d.tensor)', which is neither an input nor a stage")
            }
        }
    }

    /// `if cond else fallback`: only on inputs and weights, the condition over attributes only (a node's inputs
    /// follow from its attributes), the fallback a value that reads no tensor.
    private func checkPresence(_ port: PortDecl, _ p: Presence) throws {
        guard port.role != .output else {
            throw SpecError(p.condition.location, "output '\(port.name)' cannot be optional: only inputs and weights take 'if COND else VALUE'")
        }
        try checkExpr(p.condition, locals: [:])
        _ = try p.condition.rewritten { e in
            if case .name(let n) = e.kind, names[n] != .attribute, names[n] != .enumCase {
                throw SpecError(e.location, "whether '\(port.name)' is present may depend on attributes only, not on '\(n)'")
            }
            if case .call(let f, _) = e.kind, f == "rank" { throw SpecError(e.location, "whether '\(port.name)' is present may depend on attributes only, not on a rank") }
            return nil
        }
        try checkExpr(p.fallback, locals: [:])
        let lets = Dictionary(file.lets.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        if let t = ExprNames.of(p.fallback, lets: lets).first(where: { names[$0] == .tensor || names[$0] == .stage }) {
            throw SpecError(p.fallback.location, "the value of absent '\(port.name)' reads tensor '\(t)': it must be a constant over attributes, dims and lets")
        }
    }

    private func checkDefinitions() throws {
        var computed: Set<String> = []
        for def in file.stages + file.computes {
            let isStage = def.shape != nil
            let shape: [IndexItem]
            if let s = def.shape {
                shape = s
                for item in s { try checkExpr(item.expr, locals: [:]) }
            } else {
                guard let port = file.outputs.first(where: { $0.name == def.target }) else {
                    throw SpecError(def.location, "'compute' names '\(def.target)', which is not an output")
                }
                guard computed.insert(def.target).inserted else { throw SpecError(def.location, "'\(def.target)' is computed twice") }
                shape = port.shape
            }
            guard def.indices.count == shape.count else {
                throw SpecError(def.location, "'\(def.target)' has \(shape.count) shape items but the \(isStage ? "stage" : "compute") binds \(def.indices.count) indices")
            }
            var locals: [String: Bool] = [:]
            for (v, item) in zip(def.indices, shape) {
                guard v.isVector == item.isSplice else {
                    throw SpecError(v.location, v.isVector ? "'*\(v.name)' lines up with a single dim; write '\(v.name)'" : "'\(v.name)' lines up with a shape splice; write '*\(v.name)'")
                }
                if names[v.name] != nil || locals[v.name] != nil { throw SpecError(v.location, "index '\(v.name)' shadows another name") }
                locals[v.name] = v.isVector
            }
            try checkExpr(def.body, locals: locals)
        }
        for out in file.outputs where !computed.contains(out.name) {
            throw SpecError(out.location, "output '\(out.name)' has no 'compute'")
        }
    }

    /// The line's opset is a real one, and its `same` range holds it and stops at the newest opset graphsmith knows.
    private func checkOpsets(_ m: OnnxMapping) throws {
        let newest = OpsetRange.newestOnnxOpset
        guard m.opset >= 1, m.opset <= newest else { throw SpecError(m.location, "opset \(m.opset) is not an ONNX opset (1 to \(newest))") }
        guard let r = m.same else { return }
        guard r.lowest >= 1, r.lowest <= m.opset, (r.highest ?? newest) >= m.opset, (r.highest ?? newest) <= newest else {
            throw SpecError(m.location, "'same \(r)' must hold the line's opset \(m.opset) and stay within 1..\(newest)")
        }
    }

    /// Every `onnx` line maps to one ONNX operator; each but the last has a `when` (the last maps every instance
    /// the others do not), checked like a `require`.
    private func checkOnnx() throws {
        for (k, m) in file.onnxMappings.enumerated() {
            let last = k == file.onnxMappings.count - 1
            if m.opType != file.onnxMappings[0].opType {
                throw SpecError(m.location, "'onnx' lines map to \(file.onnxMappings[0].opType) and \(m.opType): one operator, one ONNX operator type")
            }
            switch (m.condition, last) {
            case (let c?, true): throw SpecError(c.location, "the last 'onnx' line has no 'when': it maps every instance the lines before it do not")
            case (nil, false): throw SpecError(m.location, "an 'onnx' line before the last needs 'when cond' (the instances it maps)")
            case (let c?, false): try checkExpr(c, locals: [:])
            case (nil, true): break
            }
            try checkOnnx(m)
        }
    }

    /// Whether a name gives a dtype in an `onnx` line: a dtype, a type variable or a dtype attribute.
    private func isDTypeName(_ name: String) -> Bool {
        let isDTypeAttribute = file.attributes.contains { a in
            if case .dtype = a.kind { return a.name == name }
            return false
        }
        return DType(rawValue: name) != nil || names[name] == .typeVar || isDTypeAttribute
    }

    private func checkOnnx(_ m: OnnxMapping) throws {
        try checkOpsets(m)
        for (key, v) in m.attributes {
            guard case .call("tensor", let args) = v.kind else { try checkExpr(v, locals: [:]); continue }
            guard let (dtype, value) = OnnxMapping.tensorAttribute(v) else {
                throw SpecError(v.location, "ONNX attribute '\(key)' is written 'tensor(DTYPE, value)': a dtype, type variable or dtype attribute, then a value (got \(args.count) arguments)")
            }
            guard isDTypeName(dtype) else { throw SpecError(args[0].location, "unknown dtype '\(dtype)' for ONNX tensor attribute '\(key)'") }
            try checkExpr(value, locals: [:])
        }
        for input in m.inputs ?? [] {
            switch input {
            case .port(let n, let loc):
                guard file.inputs.contains(where: { $0.name == n }) else { throw SpecError(loc, "ONNX input '\(n)' is not an input of the spec") }
            case .constant(let dtype, let e):
                guard isDTypeName(dtype) else {
                    throw SpecError(e.location, "unknown dtype '\(dtype)' for a constant input")
                }
                if case .call("fraction", let args) = e.kind { try checkFraction(args, at: e); continue }
                try checkExpr(e, locals: [:])
            case .omitted: break
            }
        }
    }

    /// `fraction(v, bits)` in a `const` operand: import sets both attributes from the float vector, so they must be
    /// names of an `ints` attribute and of an `int` (one power of two for every element) or `ints` one (one each).
    private func checkFraction(_ args: [Expr], at e: Expr) throws {
        guard args.count == 2 else {
            throw SpecError(e.location, "a constant input is written 'fraction(v, bits)': an ints attribute, then an int or ints attribute (got \(args.count) arguments)")
        }
        let kinds: [(Expr, String, (AttrKind) -> Bool)] = [
            (args[0], "an ints attribute", { if case .ints = $0 { return true } else { return false } }),
            (args[1], "an int or ints attribute", { if case .ints = $0 { return true } else { return $0 == .int } }),
        ]
        for (arg, want, ok) in kinds {
            guard case .name(let n) = arg.kind, let decl = file.attributes.first(where: { $0.name == n }), ok(decl.kind) else {
                throw SpecError(arg.location, "'fraction' takes \(want) here, got '\(arg)'")
            }
        }
    }
}
