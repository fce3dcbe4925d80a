import SpecLang
import SpecLib

/// An identity that cannot be used as a rewrite rule, and why.
public struct UnusableIdentity: Hashable, Sendable, CustomStringConvertible {
    /// `Spec.identity`, as a rule would be named.
    public var name: String
    /// Why it is not a rule.
    public var reason: String
    /// `name: reason`.
    public var description: String { "\(name): \(reason)" }
}

/// The rewrite rules the compiler uses: every spec identity that is a usable simplification, then the built-ins.
public struct RuleTable: Sendable {
    /// The usable rules: spec identities first (by operator name), then the built-ins.
    public let rules: [RewriteRule]
    /// Identities (spec or built-in) that did not become rules.
    public let unusable: [UnusableIdentity]

    /// Derives the table from the library's identities and the built-in table.
    public static func derive(from library: SpecLibrary) -> RuleTable {
        var rules: [RewriteRule] = []
        var unusable: [UnusableIdentity] = []
        func add(_ name: String, _ identity: IdentityDecl, _ conditions: [Expr], _ origin: RewriteRule.Origin) {
            if rules.contains(where: { $0.name == name }) {
                unusable.append(UnusableIdentity(name: name, reason: "another rule already has this name"))
            } else if let why = RuleCheck.problem(identity.lhs, identity.rhs, conditions, library) {
                unusable.append(UnusableIdentity(name: name, reason: why))
            } else {
                let root = TermText.applications(identity.lhs)[0].op
                let category: RewriteRule.Category = library.spec(named: root)?.family == "layout" ? .layout : .algebraic
                rules.append(RewriteRule(name: name, lhs: identity.lhs, rhs: identity.rhs, conditions: conditions,
                                         origin: origin, category: category))
            }
        }
        for spec in library.operators {
            for identity in spec.file.identities {
                add("\(spec.name).\(identity.name)", identity, [], .spec(path: spec.file.path, line: identity.location.line))
            }
        }
        for (k, entry) in BuiltinRules.parsed().enumerated() {
            guard let (identity, conditions) = entry else {
                unusable.append(UnusableIdentity(name: "builtin #\(k)", reason: "does not parse: \(BuiltinRules.entries[k].identity)"))
                continue
            }
            guard case .apply(let root, _, _, _) = identity.lhs else {
                unusable.append(UnusableIdentity(name: "builtin.\(identity.name)", reason: "the left side is a bare variable"))
                continue
            }
            add("\(root).\(identity.name)", identity, conditions, .builtin)
        }
        return RuleTable(rules: rules, unusable: unusable)
    }

    /// The rules of one category that `disabled` does not switch off, in table order (spec rules first).
    public func rules(_ category: RewriteRule.Category, disabled: Set<String> = []) -> [RewriteRule] {
        rules.filter { $0.category == category && !disabled.contains($0.name) }
    }
}
