import LoopIR
import SpecLang
import TensorCore

/// The one place that turns injected faults into a compiler configuration: a graph-level fault swaps a faulty
/// variant in for the correct pass, rewrite rule or fusion rule; a lowering, loop or code-generation fault swaps a
/// piece of the context's `LoweringVariants` (the loop IR's own registry, `LoweringVariants.inject`, knows which).
/// The compiler's production code holds no fault branches.
public enum FaultInjection {
    /// `pipeline` and `context` with the variants of `faults` in place of the correct components.
    public static func apply(_ faults: Set<Fault>, pipeline: Pipeline, context: PassContext) -> (Pipeline, PassContext) {
        var passes = pipeline.passes
        var context = context
        var layoutRules: [RewriteRule] = []
        for fault in faults.sorted(by: { $0.rawValue < $1.rawValue }) {
            switch fault {
            case .cseIgnoresAttributes: replace(&passes, CommonSubexpressionElimination.make(keyAttributes: false))
            case .cseCommutesOperands: replace(&passes, CommonSubexpressionElimination.make(sortBinaryInputs: true))
            case .constantFoldFloorDivision: replace(&passes, ConstantFolding.make(arithmetic: floorDivision))
            case .transposeFoldNotInverse: layoutRules += [BuiltinRules.faultyTransposeFold].compactMap { $0 }
            case .layoutRewriteWrongRank: layoutRules += [BuiltinRules.faultyRankTwoNoop].compactMap { $0 }
            case .fusionMultiConsumer: context.fusionRule = FusionRule { p, c, _ in FusionGroups.canFuse(producer: p, consumer: c, uses: 1) }
            default: context.loweringVariants.inject(fault)
            }
        }
        if !layoutRules.isEmpty { replace(&passes, LayoutSimplification.make(extraRules: layoutRules)) }
        return (Pipeline(passes), context)
    }

    /// Every pass named like `variant` becomes `variant`.
    private static func replace(_ passes: inout [Pass], _ variant: Pass) {
        for k in passes.indices where passes[k].name == variant.name { passes[k] = variant }
    }

    /// Integer `/` rounded toward minus infinity, where ONNX truncates: the faulty constant folder's division.
    static let floorDivision: @Sendable (String, Scalar, Scalar) -> Scalar? = { op, a, b in
        guard op == "/", case .int(let p) = a, case .int(let q) = b, q != 0 else { return nil }
        let r = p / q
        return .int((p % q != 0) && ((p < 0) != (q < 0)) ? r - 1 : r)
    }
}
