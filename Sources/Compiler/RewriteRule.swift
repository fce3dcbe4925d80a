import SpecLang

/// One rewrite rule: wherever the left term matches, the right term computes the same values.
///
/// Rules are data: terms of the spec language's `identity` syntax, derived from the spec files' identities
/// (one source of truth) plus a small built-in table. In a left term an attribute written as a bare name binds
/// that name (or, if bound already, must equal it); any other attribute expression is evaluated over the bindings
/// and must equal the node's attribute. An attribute a term does not mention matches anything. In expressions a
/// tensor variable stands for its shape (`rank(X)` is its rank) and `result` for the shape of the matched value.
public struct RewriteRule: Hashable, Sendable, CustomStringConvertible {
    /// Where a rule comes from.
    public enum Origin: Hashable, Sendable {
        /// An `identity` line of a spec file.
        case spec(path: String, line: Int)
        /// The compiler's own table, for rules no spec states.
        case builtin
    }

    /// Which pass applies the rule: layout rules are those whose matched (root) operator is of the `layout` family.
    public enum Category: String, Hashable, Sendable { case algebraic, layout }

    /// `Spec.identity` (`Transpose.inverse`): what `PassContext.disabledRules` names.
    public let name: String
    /// The pattern a match starts from (its root is the node rewritten).
    public let lhs: Term
    /// What replaces the match.
    public let rhs: Term
    /// Conditions over the bindings that must all hold (built-in rules only; spec identities have none).
    public let conditions: [Expr]
    /// The spec line it came from, or the built-in table.
    public let origin: Origin
    /// Which rewriting pass uses it.
    public let category: Category

    /// A rule from its parts.
    public init(name: String, lhs: Term, rhs: Term, conditions: [Expr] = [], origin: Origin, category: Category) {
        self.name = name
        self.lhs = lhs
        self.rhs = rhs
        self.conditions = conditions
        self.origin = origin
        self.category = category
    }

    /// `Name: lhs == rhs`.
    public var description: String {
        let text = "\(name): \(TermText.describe(lhs)) == \(TermText.describe(rhs))"
        return conditions.isEmpty ? text : text + " when " + conditions.map { "\($0)" }.joined(separator: " && ")
    }

    /// The name `result` stands for the matched value's shape in rule expressions.
    public static let resultName = "result"
}

/// Term helpers: printing, size, variables, and equality that ignores source locations.
enum TermText {
    static func describe(_ t: Term) -> String {
        switch t {
        case .variable(let n, _): return n
        case .apply(let op, let args, let attrs, _):
            let items = args.map(describe) + attrs.keys.sorted().map { "\($0) = \(attrs[$0]!)" }
            return "\(op)(\(items.joined(separator: ", ")))"
        }
    }

    /// The number of operator applications: a rule must make the term smaller to be a simplification.
    static func size(_ t: Term) -> Int {
        guard case .apply(_, let args, _, _) = t else { return 0 }
        return 1 + args.reduce(0) { $0 + size($1) }
    }

    static func variables(_ t: Term) -> Set<String> {
        switch t {
        case .variable(let n, _): return [n]
        case .apply(_, let args, _, _): return args.reduce(into: []) { $0.formUnion(variables($1)) }
        }
    }

    /// Every operator application of `t`, outermost first.
    static func applications(_ t: Term) -> [(op: String, args: [Term], attributes: [String: Expr])] {
        guard case .apply(let op, let args, let attrs, _) = t else { return [] }
        return [(op, args, attrs)] + args.flatMap(applications)
    }

    /// Same operators, variables and attribute expressions, wherever they were written.
    static func same(_ a: Term, _ b: Term) -> Bool { describe(a) == describe(b) }
}
