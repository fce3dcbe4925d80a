import SpecLang
import TensorCore

/// One constraint of a solver attempt, and the variables it mentions.
struct SolverConstraint {
    enum Kind {
        /// A `require` of the spec.
        case require(Expr)
        /// A fixed input's declared shape must evaluate to its given shape.
        case fixedInput(Int)
        /// The fixed output's declared shape must evaluate to the requested shape.
        case fixedOutput(Int)
        /// A free input's or any output's shape: dims at least 1, within the rank and element limits.
        case bounded([IndexItem], String)
        /// A vector attribute's length and form for the current ranks.
        case attribute(AttrDecl)
    }

    let kind: Kind
    let mentions: Set<String>

    static func all(for s: SolverState) -> [SolverConstraint] {
        let lets = Dictionary(uniqueKeysWithValues: s.spec.file.lets.map { ($0.name, $0.value) })
        func names(_ items: [IndexItem]) -> Set<String> {
            items.reduce(into: Set<String>()) { ExprNames.collect($1.expr, lets: lets, into: &$0) }
        }
        var out: [SolverConstraint] = s.spec.file.requires.map { SolverConstraint(kind: .require($0), mentions: ExprNames.of($0, lets: lets)) }
        for (k, port) in s.spec.inputs.enumerated() {
            if s.request.fixedInputs[k] != nil {
                out.append(SolverConstraint(kind: .fixedInput(k), mentions: names(port.shape)))
            } else {
                out.append(SolverConstraint(kind: .bounded(port.shape, port.name), mentions: names(port.shape)))
            }
        }
        for (k, port) in s.spec.outputs.enumerated() {
            out.append(SolverConstraint(kind: .bounded(port.shape, port.name), mentions: names(port.shape)))
            if let (fixed, _) = s.request.fixedOutput, fixed == k {
                out.append(SolverConstraint(kind: .fixedOutput(k), mentions: names(port.shape)))
            }
        }
        for decl in s.spec.attributes {
            switch decl.kind {
            case .ints(let n?), .perm(let n), .axes(let n):
                out.append(SolverConstraint(kind: .attribute(decl), mentions: ExprNames.of(n, lets: lets).union([decl.name])))
            default: break
            }
        }
        return out
    }

    func holds(_ s: SolverState) -> Bool {
        switch kind {
        case .require(let e):
            return (try? s.ev.eval(e).asBool()) ?? false
        case .fixedInput(let k):
            let port = s.spec.inputs[k]
            return (try? s.spec.concreteShape(port.shape, s.ev, port.name).0) == s.request.fixedInputs[k]!.shape
        case .fixedOutput(let k):
            let port = s.spec.outputs[k]
            return (try? s.spec.concreteShape(port.shape, s.ev, port.name).0) == s.request.fixedOutput!.type.shape
        case .bounded(let items, let name):
            guard let shape = try? s.spec.concreteShape(items, s.ev, name).0 else { return false }
            guard shape.count <= s.request.maxRank, shape.allSatisfy({ $0 >= 1 && $0 <= s.request.maxElements }) else { return false }
            var count = 1
            for d in shape {
                count *= d
                if count > s.request.maxElements { return false }
            }
            return true
        case .attribute(let decl):
            guard let value = s.attributes[decl.name], case .ints(let xs) = value else { return false }
            let n: Int
            switch decl.kind {
            case .ints(let e?), .perm(let e), .axes(let e):
                guard let v = try? s.ev.eval(e).asInt() else { return false }
                n = v
            default: return true
            }
            switch decl.kind {
            case .perm: return xs.sorted() == Array(0..<max(n, 0))
            case .axes: return xs == xs.sorted() && Set(xs).count == xs.count && xs.allSatisfy { $0 >= 0 && $0 < n }
            default: return xs.count == n
            }
        }
    }
}
