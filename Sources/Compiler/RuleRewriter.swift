import ModelIR
import SpecLang
import SpecLib
import TensorCore

/// Replaces a matched left side by the rule's right side.
enum RuleRewriter {
    /// How to replace the match's root, or nil when the right side cannot be built here
    /// (an attribute does not evaluate, an operator does not instantiate, or the type would change).
    static func rewrite(_ rule: RewriteRule, _ match: RuleMatch, _ site: RuleSite, _ library: SpecLibrary) -> RuleRewrite? {
        let root = site.nodes[match.root].outputs[0]
        var fresh = FreshNames(taken: site.taken)
        // Types of created values only: the site's table is read, never copied.
        var createdTypes: [String: TensorType] = [:]
        func type(_ name: String) -> TensorType? { createdTypes[name] ?? site.types[name] }
        var created: [Node] = []
        var instances: [OpInstance] = []

        func build(_ t: Term) -> String? {
            switch t {
            case .variable(let name, _):
                return match.tensors[name]
            case .apply(let op, let args, let attributes, _):
                // A right-side term written like a matched left-side subterm is that value: reuse it.
                if let reuse = match.subterms.first(where: { TermText.same($0.term, t) }) { return reuse.value }
                guard let spec = library.spec(named: op) else { return nil }
                var inputs: [String] = []
                for a in args {
                    guard let v = build(a) else { return nil }
                    inputs.append(v)
                }
                var values: [String: AttributeValue] = [:]
                for (key, e) in attributes {
                    guard let decl = spec.attribute(key) else { return nil }
                    if case .name(let n) = e.kind, let bound = match.attributes[n] {
                        values[key] = bound
                    } else {
                        guard let v = try? match.evaluator.eval(e), let a = RuleMatcher.attributeValue(v, for: decl) else { return nil }
                        values[key] = a
                    }
                }
                guard let instance = try? spec.instantiate(inputs: inputs.map { type($0)! }, attributes: values),
                      instance.outputTypes.count == 1 else { return nil }
                let name = fresh.make(root.name)
                createdTypes[name] = instance.outputTypes[0]
                instances.append(instance)
                created.append(Node(op: op, inputs: inputs, outputs: [ValueInfo(name, instance.outputTypes[0])], attributes: values))
                return name
            }
        }

        guard let result = build(rule.rhs), type(result) == root.type, result != root.name else { return nil }
        if let last = created.last, last.outputs[0].name == result {
            // The right side's root is new: it takes the old root's name, so no reader changes.
            created[created.count - 1].outputs[0].name = root.name
            return RuleRewrite(root: match.root, created: created, instances: instances, redirect: nil)
        }
        // The right side is an existing value: readers of the old root read it instead.
        return RuleRewrite(root: match.root, created: created, instances: instances, redirect: result)
    }
}
