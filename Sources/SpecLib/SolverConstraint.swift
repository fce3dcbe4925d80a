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

    static func all(for s: SolverState, _ f: SolverFacts) -> [SolverConstraint] {
        var out: [SolverConstraint] = zip(s.spec.file.requires, f.requireMentions).map { SolverConstraint(kind: .require($0), mentions: $1) }
        for (k, port) in s.spec.inputs.enumerated() {
            let kind: Kind = s.request.fixedInputs[k] != nil ? .fixedInput(k) : .bounded(port.shape, port.name)
            out.append(SolverConstraint(kind: kind, mentions: f.inputMentions[k]))
        }
        for (k, port) in s.spec.outputs.enumerated() {
            out.append(SolverConstraint(kind: .bounded(port.shape, port.name), mentions: f.outputMentions[k]))
            if let (fixed, _) = s.request.fixedOutput, fixed == k {
                out.append(SolverConstraint(kind: .fixedOutput(k), mentions: f.outputMentions[k]))
            }
        }
        for (decl, mentions) in f.attributeMentions { out.append(SolverConstraint(kind: .attribute(decl), mentions: mentions)) }
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
            case .axes: return xs.allSatisfy { $0 >= -n && $0 < n } && Set(OpSpec.canonicalAxes(xs, count: n)).count == xs.count
            default: return xs.count == n
            }
        }
    }
}

/// What the solver's constraints mention, worked out once per spec (looking through `let`s).
struct SolverFacts: Sendable {
    let lets: [String: Expr]
    let requireMentions: [Set<String>]
    let inputMentions: [Set<String>]
    let outputMentions: [Set<String>]
    let attributeMentions: [(AttrDecl, Set<String>)]
    let letDependencies: [Set<String>]

    init(_ spec: OpSpec) {
        let lets = Dictionary(uniqueKeysWithValues: spec.file.lets.map { ($0.name, $0.value) })
        func names(_ items: [IndexItem]) -> Set<String> {
            items.reduce(into: Set<String>()) { ExprNames.collect($1.expr, lets: lets, into: &$0) }
        }
        self.lets = lets
        requireMentions = spec.file.requires.map { ExprNames.of($0, lets: lets) }
        inputMentions = spec.inputs.map { names($0.shape) }
        outputMentions = spec.outputs.map { names($0.shape) }
        attributeMentions = spec.attributes.compactMap { decl in
            switch decl.kind {
            case .ints(let n?), .perm(let n), .axes(let n): return (decl, ExprNames.of(n, lets: lets).union([decl.name]))
            default: return nil
            }
        }
        letDependencies = spec.file.lets.map { ExprNames.of($0.value, lets: lets) }
    }
}
