import SpecLang

/// A spec expression annotated with whether it depends on a differentiable value, so the recording
/// evaluator hands every passive part (shapes, indices, attributes) to the plain evaluator.
final class GradExpr: @unchecked Sendable {
    let expr: Expr
    /// Reads an active tensor or names an active scalar somewhere inside.
    let active: Bool
    /// Unary: [a]; binary: [a, b]; conditional: [c, a, b]; call: the arguments; read: the index items,
    /// then the default if any; reduce: [body].
    let children: [GradExpr]
    /// A call's scalar function and derivative rule, looked up once.
    let function: ScalarSemantics.Function?
    let rule: ScalarDerivatives.Rule?
    /// A read's tensor as an index into the evaluator's slots (-1: look it up by name).
    let slot: Int

    /// Annotates `expr`, given the names of the tensors and scalars that carry gradients, and the slot of each tensor.
    init(_ expr: Expr, active names: Set<String>, slots: [String: Int] = [:]) {
        self.expr = expr
        var function: ScalarSemantics.Function?, rule: ScalarDerivatives.Rule?, slot = -1
        let parts: [Expr]
        var own = false
        switch expr.kind {
        case .integer, .real, .string, .vector: parts = []
        case .name(let n):
            parts = []
            own = names.contains(n)
        case .unary(_, let a): parts = [a]
        case .binary(_, let a, let b): parts = [a, b]
        case .conditional(let c, let a, let b): parts = [c, a, b]
        case .call(let f, let args):
            parts = args
            function = ScalarSemantics.functions[f]
            rule = ScalarDerivatives.functions[f]
        case .read(let t, let items, let fallback):
            parts = items.map(\.expr) + (fallback.map { [$0] } ?? [])
            own = names.contains(t)
            slot = slots[t] ?? -1
        case .reduce(_, _, let body): parts = [body]
        }
        self.function = function
        self.rule = rule
        self.slot = slot
        children = parts.map { GradExpr($0, active: names, slots: slots) }
        active = own || children.contains { $0.active }
    }
}
