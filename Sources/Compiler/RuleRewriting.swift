import ModelIR

/// Applies rewrite rules until none matches: the shared engine of the rule-driven passes.
enum RuleRewriting {
    /// Rewrites `model` by the table's rules of `category`, with `extraRules` tried first.
    static func run(_ typed: TypedModel, _ category: RewriteRule.Category, _ context: PassContext,
                    extraRules: [RewriteRule] = []) throws -> Model {
        let model = typed.model
        let rules = extraRules + context.ruleTable.rules(category, disabled: context.disabledRules)
        guard !rules.isEmpty else { return model }
        // Every rewrite removes its root, but may add nodes; the budget bounds a rule set that would cycle.
        var budget = 4 * model.nodes.count + 16
        var site = RuleSite(typed)
        // The first match in model order is rewritten, then the scan resumes where it was: nothing before the
        // rewritten node changed, so the result is that of rescanning from the start after every rewrite.
        var cursor = site.first
        while budget > 0, let k = cursor {
            cursor = site.after(k)
            for rule in rules {
                guard let match = RuleMatcher.match(rule, at: k, site, context.library),
                      let rewrite = RuleRewriter.rewrite(rule, match, site, context.library) else { continue }
                cursor = site.apply(rewrite)
                context.feedback?.record("rule", rule.name)
                budget -= 1
                break
            }
        }
        return site.model
    }
}
