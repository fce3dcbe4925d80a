import SpecLang

/// A spec expression annotated with whether it depends on a differentiable value, so the recording
/// evaluator hands every passive part (shapes, indices, attributes) to the plain evaluator.
final class GradExpr: @unchecked Sendable {
    /// The expression's form without its payload: switching on it copies nothing (the evaluator's hot path).
    enum Kind { case name, unary, binary, conditional, call, read, reduce, other }

    let expr: Expr
    let kind: Kind
    /// The name, operator, function or reduction of the expression ("" when it has none).
    let op: String
    /// A read's number of index items and whether it has a default.
    let itemCount: Int
    let hasDefault: Bool
    let binders: [Binder]
    /// Reads an active tensor or names an active scalar somewhere inside.
    let active: Bool
    /// Unary: [a]; binary: [a, b]; conditional: [c, a, b]; call: the arguments; read: the index items,
    /// then the default if any; reduce: [body].
    let children: [GradExpr]
    /// A binary expression's operator, resolved once (nil for an unknown one, which is an error when evaluated).
    let binaryOperator: ScalarSemantics.BinaryOperator?
    /// A call's scalar function and derivative rule, looked up once.
    let function: ScalarSemantics.Function?
    let rule: ScalarDerivatives.Rule?
    /// A read's tensor as an index into the evaluator's slots (-1: look it up by name).
    let slot: Int
    /// Set by `DefinitionPlan`: the value of a passive part that reads nothing and names no loop variable.
    var constant: Value?
    /// Set by `DefinitionPlan`: a read whose indices are affine in the current index.
    var read: ReadPlan?
    /// Set by `DefinitionPlan`: a passive integer that is affine in the current index.
    var affine: Affine?
    /// Set by `DefinitionPlan` for a reduction: each loop variable's first position in the index (-1: not
    /// planned) and constant bounds, and whether the body still needs the loop variables as named locals.
    var binderStarts: [Int] = []
    var bounds: [Value]?
    var bodyNeedsLocals = true
    /// Set by `DefinitionPlan`: a passive part that contains planned parts, so the recording evaluator
    /// walks it (recording nothing) rather than handing it to the plain evaluator.
    var walk = false

    /// Annotates `expr`, given the names of the tensors and scalars that carry gradients, and the slot of each tensor.
    init(_ expr: Expr, active names: Set<String>, slots: [String: Int] = [:]) {
        self.expr = expr
        var function: ScalarSemantics.Function?, rule: ScalarDerivatives.Rule?, slot = -1
        var kind = Kind.other, op = "", itemCount = 0, hasDefault = false, binders: [Binder] = []
        let parts: [Expr]
        var own = false
        switch expr.kind {
        case .integer, .real, .string, .vector: parts = []
        case .name(let n):
            (kind, op, parts) = (.name, n, [])
            own = names.contains(n)
        case .unary(let o, let a): (kind, op, parts) = (.unary, o, [a])
        case .binary(let o, let a, let b): (kind, op, parts) = (.binary, o, [a, b])
        case .conditional(let c, let a, let b): (kind, parts) = (.conditional, [c, a, b])
        case .call(let f, let args):
            (kind, op, parts) = (.call, f, args)
            function = ScalarSemantics.functions[f]
            rule = ScalarDerivatives.functions[f]
        case .read(let t, let items, let fallback):
            (kind, op, itemCount, hasDefault) = (.read, t, items.count, fallback != nil)
            parts = items.map(\.expr) + (fallback.map { [$0] } ?? [])
            own = names.contains(t)
            slot = slots[t] ?? -1
        case .reduce(let r, let bs, let body): (kind, op, binders, parts) = (.reduce, r, bs, [body])
        }
        (self.kind, self.op, self.itemCount, self.hasDefault, self.binders) = (kind, op, itemCount, hasDefault, binders)
        binaryOperator = kind == .binary ? ScalarSemantics.BinaryOperator.named(op) : nil
        self.function = function
        self.rule = rule
        self.slot = slot
        children = parts.map { GradExpr($0, active: names, slots: slots) }
        active = own || children.contains { $0.active }
    }
}
