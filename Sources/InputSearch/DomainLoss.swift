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
    /// `b - a`, `a <= b` and `a < b` give `a - b`, `&&` adds its violated parts, `||` takes the smaller one,
    /// `c ? p : q` the chosen side's; a condition of another form is violated by 1 without a gradient.
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
        case .conditional:
            return try hinge(try eval(g.children[0], [:]).value.asBool() ? g.children[1] : g.children[2])
        default:
            let holds = try eval(g, [:]).value.asBool()
            return holds ? nil : Violation(amount: 1, seeds: [])
        }
    }

    /// Violated, or holding by less than `margin`: elements just inside get pushed further in, so that steps
    /// taken for other elements (through shared weights) do not push them out again.
    private mutating func relation(_ op: String, _ g: GradExpr) throws -> Violation? {
        let x = try eval(g.children[0], [:]), y = try eval(g.children[1], [:])
        let s = try x.value.asScalar(), t = try y.value.asScalar()
        let a = s.asDouble, b = t.asDouble
        if try ScalarSemantics.binary(op, s, t).isTrue {
            let room: Double
            switch op {
            case ">", ">=": room = a - b
            case "<", "<=": room = b - a
            case "!=": room = abs(a - b)
            default: room = .infinity
            }
            if !(room < margin) { return nil }
        }
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
    /// Per node input (`OpInstance.inputPorts`): its conditions, plain and annotated (the input's name stands for one active element).
    let rules: [[(condition: Expr, annotated: GradExpr)]]

    init(_ instance: OpInstance) {
        let spec = instance.spec
        rules = instance.inputPorts.map { port in
            spec.file.domains.filter { $0.tensor == port.name }.map { d in
                let g = GradExpr(d.condition, active: [port.name])
                Self.fold(g, instance.evaluator)
                return (d.condition, g)
            }
        }
    }

    /// Evaluates once the parts that do not name the element (`1e-3`, `-D`, `cast(to, -1.5) != 0`).
    private static func fold(_ g: GradExpr, _ ev: Evaluator) {
        if !g.active, !DefinitionPlan.mentions(g.expr, []), let v = try? ev.eval(g.expr) {
            g.constant = v
            return
        }
        g.children.forEach { fold($0, ev) }
    }

    var isEmpty: Bool { rules.allSatisfy(\.isEmpty) }

    /// The violations of input `k`'s conditions: their sum, the elements that break them without a gradient,
    /// and every element that breaks them.
    func check(input k: Int, name: String, _ tensor: Tensor, ids: [Int32]?, _ te: inout TapeEvaluator)
        throws -> (violation: Violation, stuck: [Int], broken: [Int])? {
        guard !rules[k].isEmpty else { return nil }
        var broken: [(offset: Int, rule: Int)] = []
        for offset in 0..<tensor.count {
            // Without a tape entry the recording evaluator only computes the condition's value.
            te.bound[name] = Dual(.scalar(tensor.scalar(at: offset)))
            for (r, rule) in rules[k].enumerated() where !(try te.eval(rule.annotated, [:]).value.asBool()) {
                broken.append((offset, r))
            }
        }
        te.bound[name] = nil
        guard !broken.isEmpty else { return nil }
        var total = Violation(amount: 0, seeds: [])
        var stuck: [Int] = []
        for (offset, r) in broken {
            te.bound[name] = Dual(.scalar(tensor.scalar(at: offset)), ids?[offset] ?? -1)
            te.margin = 0
            let v = try te.hinge(rules[k][r].annotated) ?? Violation(amount: 1e-12, seeds: [])
            total.amount += v.amount
            if !v.seeds.contains(where: { $0.0 >= 0 }) { stuck.append(offset) }
        }
        // The gradient comes from every element, with the margin (see `relation`).
        guard let ids else { return (total, stuck, broken.map(\.offset)) }
        te.margin = Self.margin
        for offset in 0..<tensor.count where ids[offset] >= 0 {
            te.bound[name] = Dual(.scalar(tensor.scalar(at: offset)), ids[offset])
            for rule in rules[k] {
                if let v = try te.hinge(rule.annotated) { total.seeds += v.seeds.filter { $0.0 >= 0 } }
            }
        }
        te.bound[name] = nil
        return (total, stuck, broken.map(\.offset))
    }

    /// How far inside its domain the loss keeps pushing an element.
    static let margin = 0.05
}
