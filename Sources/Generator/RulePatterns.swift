import SpecLang
import SpecLib

/// A rewrite identity's two-operator left side, `Outer(Inner(X, ...), ...)`, for the generator to build directly:
/// random insertion rarely puts two given operators in a row (`Reshape(Squeeze(x))`), let alone with one attribute
/// value twice (`Unsqueeze(Squeeze(x, axes = a), axes = a)`), so the rules the compiler makes of such identities
/// would seldom fire.
struct RulePattern: Sendable, Hashable {
    var outer: String
    var inner: String
    /// Outer attribute → the inner attribute bound to the same name on the left side: given the inner's value.
    var shared: [String: String]
    /// The compiler's names of the rules with this left side (`Op.identity`, as `RuleTable` names them).
    var rules: [String] = []

    /// The patterns of every spec identity and built-in identity whose left side applies an operator to another's
    /// result (as its first argument), both among `specs`; each once, with the names of all the rules it serves.
    static func all(_ library: SpecLibrary, usable specs: [String: OpSpec]) -> [RulePattern] {
        var named: [(String, IdentityDecl)] = library.operators.flatMap { spec in spec.file.identities.map { ("\(spec.name).\($0.name)", $0) } }
        for case let (identity, _)? in BuiltinIdentities.parsed() {
            if case .apply(let root, _, _, _) = identity.lhs { named.append(("\(root).\(identity.name)", identity)) }
        }
        var out: [RulePattern] = []
        for (name, identity) in named {
            guard var p = pattern(identity.lhs), specs[p.outer] != nil, specs[p.inner] != nil else { continue }
            if let k = out.firstIndex(where: { $0.outer == p.outer && $0.inner == p.inner && $0.shared == p.shared }) {
                out[k].rules.append(name)
            } else {
                p.rules = [name]
                out.append(p)
            }
        }
        return out
    }

    /// The pattern of a left side `Outer(Inner(...), ...)`; nil for any other shape.
    static func pattern(_ lhs: Term) -> RulePattern? {
        guard case .apply(let outer, let args, let outerAttributes, _) = lhs, let first = args.first,
              case .apply(let inner, _, let innerAttributes, _) = first else { return nil }
        var bound: [String: String] = [:]  // name on the left side → inner attribute
        for (key, e) in innerAttributes { if case .name(let n) = e.kind { bound[n] = key } }
        var shared: [String: String] = [:]
        for (key, e) in outerAttributes { if case .name(let n) = e.kind, let k = bound[n] { shared[key] = k } }
        return RulePattern(outer: outer, inner: inner, shared: shared)
    }
}
