import SpecLang


/// How an operator's elements depend on its inputs, read off its spec; fusion decides by it.
public enum OpClass: String, Hashable, Sendable {
    /// One output, each element computed from a fixed set of input elements without reducing:
    /// element-wise ops, broadcasting, transposes, reshapes, gathers, padding.
    case injective
    /// One output that reduces over input elements (a `sum`/`max`/... in its compute, or stages): MatMul, Conv,
    /// ReduceSum, Softmax. Only injective consumers fuse into it (an epilogue).
    case reduction
    /// Several outputs: never fused.
    case opaque

    /// The class of `spec`'s operator.
    public static func of(_ spec: OpSpec) -> OpClass {
        guard spec.outputs.count == 1 else { return .opaque }
        let reduces = !spec.file.stages.isEmpty || spec.file.computes.contains { containsReduction($0.body) }
        return reduces ? .reduction : .injective
    }

    static func containsReduction(_ e: Expr) -> Bool {
        switch e.kind {
        case .integer, .real, .string, .name: return false
        case .reduce: return true
        case .unary(_, let a): return containsReduction(a)
        case .binary(_, let a, let b): return containsReduction(a) || containsReduction(b)
        case .conditional(let c, let a, let b): return [c, a, b].contains(where: containsReduction)
        case .call(_, let args), .vector(let args): return args.contains(where: containsReduction)
        case .read(_, let items, let d): return items.contains { containsReduction($0.expr) } || d.map(containsReduction) == true
        }
    }
}
