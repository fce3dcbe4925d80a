import SpecLang
import SpecLib
import TensorCore

/// Fast paths for one `stage` or `compute` of an instance, found once: constant parts are evaluated
/// ahead, reads by the definition's own index variables become linear offsets, and when nothing else
/// needs the loop variables by name, no dictionary of locals is built per element.
struct DefinitionPlan {
    /// Whether the body still needs the index variables as named locals.
    let needsLocals: Bool

    /// Annotates `body` (of a definition with index variables `indices` over `shape`) in place.
    init(_ body: GradExpr, _ def: Definition, shape: [Int], segments: [Range<Int>], instance: OpInstance, shapes: [String: [Int]]) {
        var locals = Set(def.indices.map(\.name))
        Self.binders(body.expr, &locals)
        var lhs: [String: (Range<Int>, Bool)] = [:]
        for (v, seg) in zip(def.indices, segments) { lhs[v.name] = (seg, v.isVector) }
        Self.annotate(body, locals: locals, lhs: lhs, defShape: shape, instance: instance, shapes: shapes)
        needsLocals = Self.needs(body, locals)
    }

    private static func binders(_ e: Expr, _ names: inout Set<String>) {
        switch e.kind {
        case .reduce(_, let bs, let body):
            for b in bs { names.insert(b.name) }
            binders(body, &names)
        case .unary(_, let a): binders(a, &names)
        case .binary(_, let a, let b): binders(a, &names); binders(b, &names)
        case .conditional(let c, let a, let b): binders(c, &names); binders(a, &names); binders(b, &names)
        case .call(_, let args): args.forEach { binders($0, &names) }
        case .vector(let items): items.forEach { binders($0, &names) }
        case .read(_, let items, let d): items.forEach { binders($0.expr, &names) }; d.map { binders($0, &names) }
        default: break
        }
    }

    /// Names and reads anywhere inside, the names that would make the part depend on the element.
    private static func mentions(_ e: Expr, _ locals: Set<String>) -> Bool {
        switch e.kind {
        case .name(let n): return locals.contains(n)
        case .read: return true
        case .reduce(_, let bs, let body): return bs.contains { mentions($0.bound, locals) } || mentions(body, locals)
        case .unary(_, let a): return mentions(a, locals)
        case .binary(_, let a, let b): return mentions(a, locals) || mentions(b, locals)
        case .conditional(let c, let a, let b): return mentions(c, locals) || mentions(a, locals) || mentions(b, locals)
        case .call(_, let args): return args.contains { mentions($0, locals) }
        case .vector(let items): return items.contains { mentions($0, locals) }
        default: return false
        }
    }

    private static func annotate(_ g: GradExpr, locals: Set<String>, lhs: [String: (Range<Int>, Bool)], defShape: [Int],
                                 instance: OpInstance, shapes: [String: [Int]]) {
        if !g.active, !mentions(g.expr, locals), let v = try? instance.evaluator.eval(g.expr) {
            g.constant = v
            return
        }
        if case .read(let t, let items, nil) = g.expr.kind, g.slot >= 0, let shape = shapes[t], let segs = instance.segments[t] {
            g.coefficients = linear(items, lhs, defShape, shape, segs)
            if g.coefficients != nil { return }
        }
        for c in g.children { annotate(c, locals: locals, lhs: lhs, defShape: defShape, instance: instance, shapes: shapes) }
        // Reductions bind names the walk would need as locals: those stay with the plain evaluator when passive.
        if g.kind != .reduce && g.kind != .other { g.walk = g.children.contains { $0.coefficients != nil || $0.walk } }
    }

    /// The offset of `T[v1, *v2, ...]` as a linear function of the definition's index, with numpy
    /// broadcasting as `TensorView.offset` does it; nil unless every item is one of the definition's variables.
    private static func linear(_ items: [IndexItem], _ lhs: [String: (Range<Int>, Bool)], _ defShape: [Int], _ shape: [Int],
                               _ segs: [Range<Int>]) -> [Int]? {
        guard items.count == segs.count else { return nil }
        let strides = Tensor.strides(of: shape)
        var coefficients = [Int](repeating: 0, count: defShape.count)
        for (item, seg) in zip(items, segs) {
            guard case .name(let v) = item.expr.kind, let (range, isVector) = lhs[v], isVector == item.isSplice,
                  range.count >= seg.count else { return nil }
            // Right-aligned: the variable's last seg.count dims index the tensor's segment.
            let dims = Array(range.suffix(seg.count))
            for (j, d) in seg.enumerated() where shape[d] != 1 {
                // An index that could leave the tensor is an error the plain evaluator reports: leave it to it.
                guard defShape[dims[j]] == shape[d] else { return nil }
                coefficients[dims[j]] += strides[d]
            }
        }
        return coefficients
    }

    private static func needs(_ g: GradExpr, _ locals: Set<String>) -> Bool {
        if g.constant != nil || g.coefficients != nil { return false }
        if !g.active && !g.walk { return mentions(g.expr, locals) }
        switch g.expr.kind {
        case .name(let n): return locals.contains(n)
        case .reduce: return true
        // A vector function (or one lifted over vectors) goes to the plain evaluator whole.
        case .call(let f, _) where g.function == nil && f != "cast": return mentions(g.expr, locals)
        default: return g.children.contains { needs($0, locals) }
        }
    }
}
