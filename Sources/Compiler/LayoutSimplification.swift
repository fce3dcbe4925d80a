import ModelIR

/// Layout simplification: transpose, reshape, squeeze and unsqueeze chains, by the layout rules of the rule table.
public enum LayoutSimplification {
    /// The pass (O2).
    public static let pass = make()

    /// The pass, trying `extraRules` before the table's layout rules (how a faulty rule is swapped in).
    static func make(extraRules: [RewriteRule] = []) -> Pass {
        Pass(name: "layout-simplification",
             summary: "collapse transpose/reshape/squeeze/unsqueeze chains by the layout rules of the rule table",
             level: .O2) { typed, context in try RuleRewriting.run(typed, .layout, context, extraRules: extraRules) }
    }
}
