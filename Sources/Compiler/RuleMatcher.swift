import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Where a rule's left side matched: the root node, what each variable is bound to, and the values of the
/// matched subterms (so the right side can reuse one instead of recomputing it).
struct RuleMatch {
    var root: Int
    var tensors: [String: String] = [:]
    var attributes: [String: AttributeValue] = [:]
    var subterms: [(term: Term, value: String)] = []
    /// Evaluates rule expressions: bound attributes, tensor variables as shapes, `result`.
    var evaluator = Evaluator()
}

/// Matches a rule's left side at one node, structure first, then attributes, then conditions.
enum RuleMatcher {
    static func match(_ rule: RewriteRule, at root: Int, _ site: RuleSite, _ library: SpecLibrary) -> RuleMatch? {
        let node = site.nodes[root]
        guard node.outputs.count == 1 else { return nil }
        var m = RuleMatch(root: root)
        var pending: [(node: Int, attributes: [String: Expr])] = []
        guard structure(rule.lhs, node.outputs[0].name, site, &m, &pending) else { return nil }

        // Attribute variables are bound before any expression is evaluated, so `perm = inverse(p)` may sit
        // outside the application that binds `p`.
        let tensorVariables = Set(m.tensors.keys)
        var later: [(actual: AttributeValue, expr: Expr, decl: AttrDecl)] = []
        for (k, attributes) in pending {
            let instance = site.instances[k]
            for key in attributes.keys.sorted() {
                guard let actual = instance.attributes[key], let decl = instance.spec.attribute(key) else { return nil }
                let e = attributes[key]!
                if let name = RuleCheck.binder(e, instance.spec, tensorVariables: tensorVariables) {
                    if let bound = m.attributes[name] {
                        guard same(bound, actual) else { return nil }
                    } else {
                        m.attributes[name] = actual
                    }
                } else {
                    later.append((actual, e, decl))
                }
                m.evaluator.enumCases.formUnion(instance.spec.enumCases)
            }
        }
        for (name, value) in m.attributes { m.evaluator.constants[name] = value.value }
        for (variable, value) in m.tensors {
            let shape = site.types[value]!.shape
            m.evaluator.constants[variable] = .vector(shape)
            m.evaluator.ranks[variable] = shape.count
        }
        m.evaluator.constants[RewriteRule.resultName] = .vector(node.outputs[0].type.shape)
        for (actual, e, decl) in later {
            guard let v = try? m.evaluator.eval(e), let computed = attributeValue(v, for: decl), same(computed, actual) else { return nil }
        }
        for c in rule.conditions {
            guard (try? m.evaluator.eval(c).asBool()) == true else { return nil }
        }
        return m
    }

    /// Matches term `t` against the value `value`, binding variables and collecting attribute patterns.
    private static func structure(_ t: Term, _ value: String, _ site: RuleSite, _ m: inout RuleMatch,
                                  _ pending: inout [(node: Int, attributes: [String: Expr])]) -> Bool {
        switch t {
        case .variable(let name, _):
            if let bound = m.tensors[name] { return bound == value }
            m.tensors[name] = value
            return true
        case .apply(let op, let args, let attributes, _):
            guard let k = site.producers[value] else { return false }
            let node = site.nodes[k]
            guard node.op == op, node.outputs.count == 1, node.inputs.count == args.count else { return false }
            for (arg, input) in zip(args, node.inputs) {
                guard structure(arg, input, site, &m, &pending) else { return false }
            }
            pending.append((k, attributes))
            m.subterms.append((t, value))
            return true
        }
    }

    /// Exact attribute equality (reals by bit pattern), the same notion CSE uses.
    static func same(_ a: AttributeValue, _ b: AttributeValue) -> Bool {
        CommonSubexpressionElimination.canonical(a) == CommonSubexpressionElimination.canonical(b)
    }

    /// An evaluated expression as a value of the attribute `decl` (reals rounded to float32, as attributes hold).
    static func attributeValue(_ v: Value, for decl: AttrDecl) -> AttributeValue? {
        switch (decl.kind, v) {
        case (.int, _), (.bool, _): return (try? v.asInt()).map { .int($0) }
        case (.real, .scalar(let s)): return .real(Double(Float(s.asDouble)))
        case (.ints, .vector(let xs)), (.perm, .vector(let xs)), (.axes, .vector(let xs)): return .ints(xs)
        case (.enumeration, .name(let n)): return .name(n)
        case (.dtype, .dtype(let d)): return .dtype(d)
        case (.dtype, .name(let n)): return DType(rawValue: n).map { .dtype($0) }
        default: return nil
        }
    }
}
