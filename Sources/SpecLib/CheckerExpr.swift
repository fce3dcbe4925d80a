import SpecLang
import TensorCore

/// Name resolution, arity and read-rank checks of expressions.
extension Checker {
    /// The special calls the evaluators handle themselves, with their arity.
    static let specialCalls: [String: Int] = ["rank": 1, "cast": 2, "lowest": 1, "highest": 1]

    func checkExpr(_ e: Expr, locals: [String: Bool], elementOf: String? = nil) throws {
        switch e.kind {
        case .integer, .real, .string: return
        case .name(let n):
            if locals[n] != nil || n == elementOf || n == "inf" { return }
            guard let kind = names[n] else { throw unknownName(n, e.location, locals: locals) }
            if kind == .tensor || kind == .stage { throw SpecError(e.location, "tensor '\(n)' needs an index: write '\(n)[...]'") }
            if kind == .typeVar { throw SpecError(e.location, "type variable '\(n)' can only be used in cast(\(n), x) and compared with a dtype (\(n) == f32)") }
        case .unary(_, let a): try checkExpr(a, locals: locals, elementOf: elementOf)
        case .binary(let op, let a, let b):
            if op == "==" || op == "!=", isDTypeTerm(a, locals) || isDTypeTerm(b, locals) {
                guard isDTypeTerm(a, locals) && isDTypeTerm(b, locals) else {
                    throw SpecError(e.location, "a type variable compares only with a dtype (T == bf16) or another type variable")
                }
                return
            }
            try checkExpr(a, locals: locals, elementOf: elementOf)
            try checkExpr(b, locals: locals, elementOf: elementOf)
        case .conditional(let c, let a, let b):
            for x in [c, a, b] { try checkExpr(x, locals: locals, elementOf: elementOf) }
        case .vector(let items):
            for x in items { try checkExpr(x, locals: locals, elementOf: elementOf) }
        case .call(let f, let args):
            try checkCall(f, args, e.location, locals: locals, elementOf: elementOf)
        case .read(let t, let items, let fallback):
            try checkRead(t, items, e.location, locals: locals, elementOf: elementOf)
            if let d = fallback { try checkExpr(d, locals: locals, elementOf: elementOf) }
        case .reduce(let r, let binders, let body):
            var inner = locals
            for b in binders {
                try checkExpr(b.bound, locals: inner, elementOf: elementOf)
                if names[b.name] != nil || inner[b.name] != nil { throw SpecError(b.location, "loop variable '\(b.name)' shadows another name") }
                inner[b.name] = b.isVector
            }
            if (r == "argmax" || r == "argmin") && (binders.count != 1 || binders[0].isVector) {
                throw SpecError(e.location, "'\(r)' takes exactly one scalar loop variable")
            }
            try checkExpr(body, locals: inner, elementOf: elementOf)
        }
    }

    private func checkCall(_ f: String, _ args: [Expr], _ location: SourceLocation, locals: [String: Bool], elementOf: String?) throws {
        let arity = Self.specialCalls[f] ?? ScalarSemantics.functions[f]?.arity ?? VectorFunctions.table[f]?.arity
        guard let n = arity else {
            let all = Array(Self.specialCalls.keys) + Array(ScalarSemantics.functions.keys) + Array(VectorFunctions.table.keys)
            let hint = Parser.closest(f, in: all.sorted()).map { "; did you mean '\($0)'?" } ?? ""
            throw SpecError(location, "unknown function '\(f)'\(hint)")
        }
        guard args.count == n else { throw SpecError(location, "'\(f)' takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)") }
        switch f {
        case "rank":
            guard case .name(let t) = args[0].kind, names[t] == .tensor || names[t] == .group else {
                throw SpecError(args[0].location, "rank() takes a tensor or shape group name")
            }
        case "cast":
            guard case .name(let d) = args[0].kind, DType(rawValue: d) != nil || names[d] == .typeVar || isDTypeAttribute(d) else {
                throw SpecError(args[0].location, "cast() takes a dtype, type variable or dtype attribute first")
            }
            try checkExpr(args[1], locals: locals, elementOf: elementOf)
        case "lowest", "highest":
            guard case .name(let d) = args[0].kind, locals[d] == nil, DType(rawValue: d) != nil || names[d] == .typeVar || isDTypeAttribute(d) else {
                throw SpecError(args[0].location, "\(f)() takes a dtype, type variable or dtype attribute")
            }
        default:
            for a in args { try checkExpr(a, locals: locals, elementOf: elementOf) }
        }
    }

    /// A type variable, a dtype attribute, or a dtype name that names nothing else: what `T == bf16` compares.
    private func isDTypeTerm(_ e: Expr, _ locals: [String: Bool]) -> Bool {
        guard case .name(let n) = e.kind, locals[n] == nil else { return false }
        if let kind = names[n] { return kind == .typeVar || isDTypeAttribute(n) }
        return DType(rawValue: n) != nil
    }

    private func isDTypeAttribute(_ name: String) -> Bool {
        guard let a = file.attributes.first(where: { $0.name == name }), case .dtype = a.kind else { return false }
        return true
    }

    private func checkRead(_ t: String, _ items: [IndexItem], _ location: SourceLocation, locals: [String: Bool], elementOf: String?) throws {
        for item in items { try checkExpr(item.expr, locals: locals, elementOf: elementOf) }
        if let isVector = locals[t] {
            guard isVector, items.count == 1, !items[0].isSplice else { throw SpecError(location, "'\(t)' is not a tensor; only a vector index can be read as '\(t)[k]'") }
            return
        }
        guard let kind = names[t] else { throw unknownName(t, location, locals: locals) }
        switch kind {
        case .tensor, .stage:
            let shape = file.ports.first { $0.name == t }?.shape ?? file.stages.first { $0.target == t }?.shape ?? []
            if file.outputs.contains(where: { $0.name == t }) { throw SpecError(location, "output '\(t)' cannot be read; use a stage") }
            guard items.count == shape.count else {
                throw SpecError(location, "'\(t)' is read with \(items.count) index items but its shape has \(shape.count)")
            }
            for (k, (item, declared)) in zip(items, shape).enumerated() where item.isSplice != declared.isSplice {
                throw SpecError(item.expr.location, "index item \(k + 1) of '\(t)' must be \(declared.isSplice ? "a splice '*v'" : "a single index") to match its shape")
            }
        case .group, .letValue, .attribute:
            guard items.count == 1, !items[0].isSplice else { throw SpecError(location, "an element of vector '\(t)' is read as '\(t)[k]'") }
        default:
            throw SpecError(location, "'\(t)' cannot be indexed")
        }
    }

    func unknownName(_ n: String, _ location: SourceLocation, locals: [String: Bool]) -> SpecError {
        let candidates = Array(names.keys) + Array(locals.keys)
        let hint = Parser.closest(n, in: candidates.sorted()).map { "; did you mean '\($0)'?" } ?? ""
        return SpecError(location, "unknown name '\(n)'\(hint)")
    }
}
