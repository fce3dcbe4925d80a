import SpecLang

/// The order checks of `let`s and stages.
///
/// Instantiation computes the `let`s in file order and the reference computes the stages in file order, so each may
/// use only those declared before it. A use of itself or of a later one (`let a = a + 1`, a stage reading itself)
/// is a cycle, or an order nothing computes: refused here, at the use, rather than failing in every instance (or
/// trapping the input search, which takes the stages it reads as already computed).
extension Checker {
    func checkDefinitionOrder() throws {
        let lets = file.lets
        for (k, l) in lets.enumerated() {
            let later = Dictionary(uniqueKeysWithValues: lets[k...].map { ($0.name, $0.location) })
            guard let (name, location) = Self.firstUse(in: l.value, of: later) else { continue }
            throw SpecError(location, name == l.name
                ? "let '\(name)' uses itself"
                : "let '\(l.name)' uses '\(name)', which is declared after it (line \(later[name]!.line)); lets are computed in order")
        }
        let stages = file.stages
        for (k, s) in stages.enumerated() {
            let later = Dictionary(uniqueKeysWithValues: stages[k...].map { ($0.target, $0.location) })
            guard let (name, location) = Self.firstUse(in: s.body, of: later) else { continue }
            throw SpecError(location, name == s.target
                ? "stage '\(name)' reads itself"
                : "stage '\(s.target)' reads '\(name)', which is defined after it (line \(later[name]!.line)); stages are computed in order")
        }
    }

    /// The first name or read of one of `names` in `e`, in source order, with where it is.
    static func firstUse(in e: Expr, of names: [String: SourceLocation]) -> (String, SourceLocation)? {
        func first(_ es: [Expr]) -> (String, SourceLocation)? {
            for x in es { if let hit = firstUse(in: x, of: names) { return hit } }
            return nil
        }
        switch e.kind {
        case .integer, .real, .string: return nil
        case .name(let n): return names[n] != nil ? (n, e.location) : nil
        case .unary(_, let a): return first([a])
        case .binary(_, let a, let b): return first([a, b])
        case .conditional(let c, let a, let b): return first([c, a, b])
        case .call(_, let args), .vector(let args): return first(args)
        case .read(let t, let items, let fallback):
            if names[t] != nil { return (t, e.location) }
            return first(items.map(\.expr) + (fallback.map { [$0] } ?? []))
        case .reduce(_, let binders, let body): return first(binders.map(\.bound) + [body])
        }
    }
}
