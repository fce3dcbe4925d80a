/// Rewrite identities no spec file states, in the spec language's identity syntax (data, not code): the compiler
/// makes rules of them (`RuleTable`), and the generator builds their left sides (`RulePatterns`).
///
/// Only layout identities live here: they compute attributes (a composed permutation, a merged shape) or need a
/// condition, which a spec identity cannot express. Each is named `Op.rule` after its matched operator.
public enum BuiltinIdentities {
    /// `(identity line, condition)`: the identity's name is prefixed with its root operator.
    public static let entries: [(identity: String, condition: String?)] = [
        // Y axis k is X axis p[k]; Z axis k is Y axis q[k] = X axis p[q[k]] = permute(p, q)[k].
        ("compose: Transpose(Transpose(X, perm = p), perm = q) == Transpose(X, perm = permute(p, q))", nil),
        ("noop: Transpose(X, perm = iota(rank(X))) == X", nil),
        ("noop: Reshape(X) == X", "len(result) == rank(X) && all(result == X)"),
        ("undo_squeeze: Unsqueeze(Squeeze(X, axes = a), axes = a) == X", nil),
    ] + reshapeChains

    /// Operators that only reinterpret the shape (row-major order kept): any two in a row are one Reshape to the
    /// final shape, written out in full (`allowzero = 1`, so zeros are literal and nothing is inferred).
    public static let reshapeLike = ["Reshape", "Squeeze", "Unsqueeze", "Flatten"]

    public static var reshapeChains: [(identity: String, condition: String?)] {
        reshapeLike.flatMap { outer in
            reshapeLike.map { inner in
                ("merge_\(inner.lowercased()): \(outer)(\(inner)(X)) == Reshape(X, n = len(result), shape = result, allowzero = 1)", nil)
            }
        }
    }

    /// The parsed entries, or a parse error text per entry that failed (a bug in this table).
    public static func parsed() -> [(identity: IdentityDecl, conditions: [Expr])?] { parsedEntries }

    /// Parsed once: the table is constant, and rule derivation and rule patterns read it often.
    private static let parsedEntries: [(identity: IdentityDecl, conditions: [Expr])?] =
        entries.map { entry in
            var source = "op Builtin\nidentity \(entry.identity)\n"
            if let c = entry.condition { source += "require \(c)\n" }
            guard let file = try? Parser.parse(path: "<builtin rules>", source: source), let identity = file.identities.first
            else { return nil }
            return (identity, file.requires)
        }
}
