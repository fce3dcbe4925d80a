import SpecLang
import SpecLib
import TensorCore

/// A hinge loss from a violated domain condition: how far it is from holding, and the loss's gradient
/// with respect to tape entries.
struct Violation {
    var amount: Double
    var seeds: [(Int32, Double)]
}

extension TapeEvaluator {
    /// The hinge loss of a condition on the bound element: nil when it holds. `a >= b` and `a > b` give
    /// `b - a`, `a <= b` and `a < b` give `a - b`, `&&` adds its violated parts, `||` takes the smaller one;
    /// a condition of another form is violated by 1 without a gradient.
    mutating func hinge(_ g: GradExpr) throws -> Violation? {
        switch g.expr.kind {
        case .binary("&&", _, _):
            let a = try hinge(g.children[0]), b = try hinge(g.children[1])
            guard a != nil || b != nil else { return nil }
            return Violation(amount: (a?.amount ?? 0) + (b?.amount ?? 0), seeds: (a?.seeds ?? []) + (b?.seeds ?? []))
        case .binary("||", _, _):
            guard let a = try hinge(g.children[0]), let b = try hinge(g.children[1]) else { return nil }
            return a.amount <= b.amount ? a : b
        case .binary(let op, _, _) where ["<", "<=", ">", ">=", "==", "!="].contains(op):
            return try relation(op, g)
        default:
            let holds = try eval(g, [:]).value.asBool()
            return holds ? nil : Violation(amount: 1, seeds: [])
        }
    }

    private mutating func relation(_ op: String, _ g: GradExpr) throws -> Violation? {
        let x = try eval(g.children[0], [:]), y = try eval(g.children[1], [:])
        let s = try x.value.asScalar(), t = try y.value.asScalar()
        if try ScalarSemantics.binary(op, s, t).isTrue { return nil }
        let a = s.asDouble, b = t.asDouble
        // The direction that repairs the relation: +1 when a must grow relative to b.
        let direction: Double
        switch op {
        case ">", ">=": direction = 1
        case "<", "<=": direction = -1
        case "!=": direction = a >= b ? 1 : -1
        default: direction = a < b ? 1 : -1
        }
        let gap = op == "!=" ? 1 : abs(a - b)
        return Violation(amount: gap.isFinite ? max(gap, 1e-12) : 1e300, seeds: [(x.id, -direction), (y.id, direction)])
    }
}

/// The domain conditions of one operator's inputs, annotated once for the search.
final class DomainRules: @unchecked Sendable {
    /// Per spec input: its conditions, plain and annotated (the input's name stands for one active element).
    let rules: [[(condition: Expr, annotated: GradExpr)]]

    init(_ spec: OpSpec) {
        rules = spec.inputs.map { port in
            spec.file.domains.filter { $0.tensor == port.name }.map { ($0.condition, GradExpr($0.condition, active: [port.name])) }
        }
    }

    var isEmpty: Bool { rules.allSatisfy(\.isEmpty) }

    /// The violations of input `k`'s conditions: their sum, and the elements that break them without a gradient.
    func check(input k: Int, name: String, _ tensor: Tensor, ids: [Int32]?, _ te: inout TapeEvaluator) throws -> (Violation, [Int])? {
        guard !rules[k].isEmpty else { return nil }
        var total = Violation(amount: 0, seeds: [])
        var stuck: [Int] = []
        for offset in 0..<tensor.count {
            let element = Value.scalar(tensor.scalar(at: offset))
            for rule in rules[k] where !(try te.ev.eval(rule.condition, [name: element]).asBool()) {
                te.bound[name] = Dual(element, ids?[offset] ?? -1)
                guard let v = try te.hinge(rule.annotated) else { continue }
                total.amount += v.amount
                let live = v.seeds.filter { $0.0 >= 0 }
                if live.isEmpty { stuck.append(offset) }
                total.seeds += live
            }
        }
        te.bound[name] = nil
        return total.amount > 0 || !stuck.isEmpty ? (total, stuck) : nil
    }
}
