import SpecLang
import SpecLib
import TensorCore

/// Fast paths for one `stage` or `compute` of an instance, found once: constant parts are evaluated
/// ahead, index arithmetic and reads whose indices are affine in the element's index (and the loop
/// variables of its reductions) become offset arithmetic, and when nothing else needs the index or
/// loop variables by name, no dictionary of locals is built per element.
struct DefinitionPlan {
    /// Whether the body still needs the index variables as named locals.
    let needsLocals: Bool
    /// The length of the evaluator's index: the definition's dims, then its reductions' loop dims.
    let dims: Int

    /// Annotates `body` (of a definition with index variables `indices` over `shape`) in place.
    init(_ body: GradExpr, _ def: Definition, shape: [Int], segments: [Range<Int>], instance: OpInstance, shapes: [String: [Int]]) {
        var locals = Set(def.indices.map(\.name))
        Self.binders(body.expr, &locals)
        var ctx = AffineContext(variables: [:], locals: locals, ev: instance.evaluator)
        for (v, seg) in zip(def.indices, segments) { ctx.variables[v.name] = (seg.lowerBound, seg.count, v.isVector) }
        var next = shape.count
        Self.annotate(body, &ctx, &next, instance, shapes)
        dims = next
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

    /// Whether `e` names an index or loop variable or reads a tensor: what makes a part vary per element.
    static func mentions(_ e: Expr, _ locals: Set<String>) -> Bool {
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

    private static func annotate(_ g: GradExpr, _ ctx: inout AffineContext, _ next: inout Int, _ instance: OpInstance,
                                 _ shapes: [String: [Int]]) {
        if !g.active, !mentions(g.expr, ctx.locals), let v = try? instance.evaluator.eval(g.expr) {
            g.constant = v
            return
        }
        if !g.active, g.kind != .read, let f = ctx.forms(g.expr), !f.isVector, f.forms.count == 1 {
            g.affine = f.forms[0]
            return
        }
        if g.kind == .read, let plan = readPlan(g, ctx, instance, shapes) {
            g.read = plan
            for d in plan.dims { if let k = d.item { annotate(g.children[k], &ctx, &next, instance, shapes) } }
            if g.hasDefault { annotate(g.children[g.itemCount], &ctx, &next, instance, shapes) }
            g.walk = true
            return
        }
        if g.kind == .reduce {
            var bounds: [Value] = []
            for b in g.binders {
                guard !mentions(b.bound, ctx.locals), let v = try? instance.evaluator.eval(b.bound) else {
                    g.binderStarts.append(-1)
                    continue
                }
                let count = b.isVector ? ((try? v.asVector().count) ?? 0) : 1
                ctx.variables[b.name] = (next, count, b.isVector)
                g.binderStarts.append(next)
                bounds.append(v)
                next += count
            }
            if bounds.count == g.binders.count { g.bounds = bounds }
        }
        for c in g.children { annotate(c, &ctx, &next, instance, shapes) }
        if g.kind != .other && (g.kind != .reduce || g.bounds != nil) {
            g.walk = g.children.contains { $0.read != nil || $0.affine != nil || $0.walk }
        }
    }

    /// The plan of a read whose every index item is affine, with numpy broadcasting as `TensorView.offset`
    /// does it (without a default: right-aligned, size-1 dims read at 0).
    private static func readPlan(_ g: GradExpr, _ ctx: AffineContext, _ instance: OpInstance, _ shapes: [String: [Int]]) -> ReadPlan? {
        guard g.slot >= 0, case .read(let t, let items, let fallback) = g.expr.kind, let shape = shapes[t],
              let segs = instance.segments[t], items.count == segs.count else { return nil }
        let strides = Tensor.strides(of: shape)
        var dims: [ReadPlan.Dim] = []
        for (k, (item, seg)) in zip(items, segs).enumerated() {
            // `*delinear(L, S)` over exactly the segment's dims (a reshape) reads flat position L of the segment.
            if item.isSplice, case .call("delinear", let args) = item.expr.kind, args.count == 2,
               let flat = ctx.forms(args[0]), !flat.isVector, !DefinitionPlan.mentions(args[1], ctx.locals),
               case .vector(let s)? = try? instance.evaluator.eval(args[1]), s == Array(shape[seg]), let last = seg.last {
                dims.append(ReadPlan.Dim(form: flat.forms[0], item: nil, size: s.reduce(1, *), stride: strides[last]))
                continue
            }
            guard var index = ctx.forms(item.expr)?.forms else {
                // One scalar item computed from data (a gather index) is evaluated per element.
                guard !item.isSplice, seg.count == 1 else { return nil }
                if fallback != nil || shape[seg.lowerBound] != 1 {
                    dims.append(ReadPlan.Dim(form: .const(0), item: k, size: shape[seg.lowerBound], stride: strides[seg.lowerBound]))
                }
                continue
            }
            if index.count != seg.count {
                guard fallback == nil, index.count > seg.count else { return nil }
                index = Array(index.suffix(seg.count))
            }
            for (j, d) in seg.enumerated() where fallback != nil || shape[d] != 1 {
                dims.append(ReadPlan.Dim(form: index[j], item: nil, size: shape[d], stride: strides[d]))
            }
        }
        return ReadPlan(dims: dims)
    }

    private static func needs(_ g: GradExpr, _ locals: Set<String>) -> Bool {
        if g.constant != nil || g.affine != nil { return false }
        if let plan = g.read {
            return plan.dims.contains { $0.item.map { needs(g.children[$0], locals) } ?? false }
                || g.hasDefault && needs(g.children[g.itemCount], locals)
        }
        if !g.active && !g.walk { return mentions(g.expr, locals) }
        switch g.kind {
        case .name: return locals.contains(g.op)
        case .reduce:
            g.bodyNeedsLocals = g.bounds == nil || needs(g.children[0], locals)
            return g.bodyNeedsLocals
        // A vector function (or one lifted over vectors) goes to the plain evaluator whole.
        case .call where g.function == nil && g.op != "cast": return mentions(g.expr, locals)
        default: return g.children.contains { needs($0, locals) }
        }
    }
}
