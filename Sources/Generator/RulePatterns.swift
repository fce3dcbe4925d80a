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

    /// The patterns of every spec identity and built-in identity whose left side applies an operator to another's
    /// result (as its first argument), both among `specs`; each once.
    static func all(_ library: SpecLibrary, usable specs: [String: OpSpec]) -> [RulePattern] {
        let identities = library.operators.flatMap(\.file.identities) + BuiltinIdentities.parsed().compactMap { $0?.identity }
        var seen: Set<RulePattern> = []
        return identities.compactMap { identity in
            guard let p = pattern(identity.lhs), specs[p.outer] != nil, specs[p.inner] != nil, seen.insert(p).inserted else { return nil }
            return p
        }
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
