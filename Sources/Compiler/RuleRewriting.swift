import ModelIR

/// Applies rewrite rules until none matches: the shared engine of the rule-driven passes.
enum RuleRewriting {
    /// Rewrites `model` by the table's rules of `category`, with `extraRules` tried first.
    static func run(_ typed: TypedModel, _ category: RewriteRule.Category, _ context: PassContext,
                    extraRules: [RewriteRule] = []) throws -> Model {
        let model = typed.model
        let rules = extraRules + RuleTable.derive(from: context.library).rules(category, disabled: context.disabledRules)
        guard !rules.isEmpty else { return model }
        var m = model
        // Every rewrite removes its root, but may add nodes; the budget bounds a rule set that would cycle.
        var budget = 4 * model.nodes.count + 16
        var site = RuleSite(typed)
        search: while budget > 0 {
            for k in m.nodes.indices {
                for rule in rules {
                    guard let match = RuleMatcher.match(rule, at: k, site, context.library),
                          let next = RuleRewriter.rewrite(rule, match, site, context.library) else { continue }
                    m = next
                    site = try RuleSite(TypedModel(m, library: context.library))
                    budget -= 1
                    continue search
                }
            }
            break
        }
        return m
    }
}
