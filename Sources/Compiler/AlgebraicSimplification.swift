import ModelIR

/// Algebraic simplification: the non-layout rules of the rule table (spec identities such as `Neg.double_neg`).
public enum AlgebraicSimplification {
    /// The pass (O2).
    public static let pass = Pass(
        name: "algebraic-simplification",
        summary: "rewrite by the algebraic rules of the rule table (spec identities), e.g. Neg(Neg(x)) -> x",
        level: .O2
    ) { typed, context in try RuleRewriting.run(typed, .algebraic, context) }
}
