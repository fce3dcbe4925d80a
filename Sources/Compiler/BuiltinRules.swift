import SpecLang

/// The compiler's side of the built-in identities (`BuiltinIdentities`): the faulty rules fault injection swaps in.
enum BuiltinRules {
    /// The built-in identities' lines (`BuiltinIdentities.entries`).
    static var entries: [(identity: String, condition: String?)] { BuiltinIdentities.entries }

    /// The parsed entries, or nil per entry that failed (a bug in that table).
    static func parsed() -> [(identity: IdentityDecl, conditions: [Expr])?] { BuiltinIdentities.parsed() }

    /// The injected bug `transpose-fold-not-inverse`: any two Transposes in a row fold away.
    static let faultyTransposeFold: RewriteRule? = {
        let source = "op Builtin\nidentity fault: Transpose(Transpose(X, perm = p), perm = q) == X\n"
        guard let file = try? Parser.parse(path: "<fault>", source: source), let identity = file.identities.first else { return nil }
        return RewriteRule(name: "fault.transpose-fold-not-inverse", lhs: identity.lhs, rhs: identity.rhs, origin: .builtin, category: .layout)
    }()

    /// The injected bug `layout-rewrite-wrong-rank`: a Transpose that keeps the last two axes in place is dropped,
    /// the check written for rank-2 matrices applied to every rank (it fires when the permuted dims are equal).
    static let faultyRankTwoNoop: RewriteRule? = {
        let source = """
            op Builtin
            identity fault: Transpose(X, perm = p) == X
            require rank(X) >= 2 && all(take(p, rank(X) - 2, rank(X)) == [rank(X) - 2, rank(X) - 1])
            """
        guard let file = try? Parser.parse(path: "<fault>", source: source + "\n"), let identity = file.identities.first else { return nil }
        return RewriteRule(name: "fault.layout-rewrite-wrong-rank", lhs: identity.lhs, rhs: identity.rhs, conditions: file.requires,
                           origin: .builtin, category: .layout)
    }()
}
