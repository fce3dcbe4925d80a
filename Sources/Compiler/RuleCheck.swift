import SpecLang
import SpecLib

/// Decides whether an identity can be used as a rewrite rule, and says why not.
enum RuleCheck {
    /// The variable a left-term attribute expression binds: a bare name that is not an enum case of the operator,
    /// `inf`, `result` or a tensor variable (those are values, compared like any expression).
    static func binder(_ e: Expr, _ spec: OpSpec, tensorVariables: Set<String>) -> String? {
        guard case .name(let n) = e.kind, !spec.enumCases.contains(n), n != "inf", n != RewriteRule.resultName,
              !tensorVariables.contains(n) else { return nil }
        return n
    }

    static func problem(_ lhs: Term, _ rhs: Term, _ conditions: [Expr], _ library: SpecLibrary) -> String? {
        guard case .apply = lhs else { return "the left side is a bare variable: it would match every value" }
        let applications = TermText.applications(lhs) + TermText.applications(rhs)
        var enumCases: Set<String> = []
        for a in applications {
            guard let spec = library.spec(named: a.op) else { return "unknown operator '\(a.op)'" }
            guard spec.outputs.count == 1 else {
                return "\(a.op) has \(spec.outputs.count) outputs; rules rewrite single-output operators only"
            }
            // Optional inputs: the term has the inputs its attributes (literal values, else defaults) give.
            var given: [String: AttributeValue] = [:]
            for (name, e) in a.attributes { if case .integer(let v) = e.kind { given[name] = .int(v) } }
            let expected = spec.inputPorts(attributes: given).count
            guard a.args.count == expected else {
                return "\(a.op) takes \(expected) inputs, the term gives \(a.args.count)"
            }
            if let bad = a.attributes.keys.sorted().first(where: { spec.attribute($0) == nil }) {
                return "\(a.op) has no attribute '\(bad)'"
            }
            enumCases.formUnion(spec.enumCases)
        }
        let tensors = TermText.variables(lhs)
        let missing = TermText.variables(rhs).subtracting(tensors)
        guard missing.isEmpty else {
            return "the right side uses \(missing.sorted().joined(separator: ", ")), which the left side does not bind"
        }
        guard TermText.size(rhs) < TermText.size(lhs) else {
            return "the right side is not smaller than the left (an equation such as commutativity, not a simplification): "
                + "rewriting with it need not terminate"
        }
        var bound = tensors.union(enumCases).union([RewriteRule.resultName, "inf"])
        var expressions: [Expr] = conditions
        for a in TermText.applications(lhs) {
            let spec = library.spec(named: a.op)!
            for e in a.attributes.values {
                if let n = binder(e, spec, tensorVariables: tensors) { bound.insert(n) } else { expressions.append(e) }
            }
        }
        for a in TermText.applications(rhs) { expressions += a.attributes.values }
        for e in expressions {
            if let free = names(in: e).subtracting(bound).sorted().first {
                return "'\(free)' in '\(e)' is not bound by the left side"
            }
        }
        return nil
    }

    /// The names an expression reads, without the loop variables of its reductions.
    static func names(in e: Expr) -> Set<String> {
        switch e.kind {
        case .integer, .real, .string: return []
        case .name(let n): return [n]
        case .unary(_, let a): return names(in: a)
        case .binary(_, let a, let b): return names(in: a).union(names(in: b))
        case .conditional(let c, let a, let b): return names(in: c).union(names(in: a)).union(names(in: b))
        case .call(_, let args), .vector(let args): return args.reduce(into: []) { $0.formUnion(names(in: $1)) }
        case .read(let t, let items, let d):
            var out: Set<String> = [t]
            for i in items { out.formUnion(names(in: i.expr)) }
            if let d { out.formUnion(names(in: d)) }
            return out
        case .reduce(_, let binders, let body):
            var out = names(in: body)
            for b in binders { out.formUnion(names(in: b.bound)) }
            return out.subtracting(binders.map(\.name))
        }
    }
}
