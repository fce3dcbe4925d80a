import SpecLang
import TensorCore

extension OpSpec {
    /// Checks a given attribute against its kind, or evaluates its default.
    func resolveAttribute(_ decl: AttrDecl, _ given: AttributeValue?, _ ev: Evaluator) throws -> AttributeValue {
        let value: AttributeValue
        if let g = given {
            value = g
        } else {
            switch decl.defaultValue {
            case nil: throw InstanceError(name, "attribute '\(decl.name)' is required")
            case .all?: value = .ints(Array(0..<(try length(of: decl, ev))))
            case .expr(let e)?: value = try defaultValue(decl, e, ev)
            }
        }
        try validate(decl, value, ev)
        return value
    }

    /// The value an attribute has in the spec's expressions: an `axes` list in its canonical form (negative axes
    /// counted from the end, sorted), however the model writes it — ONNX allows both forms, and a compiler must treat
    /// them alike; any other attribute as given. The node keeps the form it was written in.
    func semanticValue(_ decl: AttrDecl, _ value: AttributeValue, _ ev: Evaluator) -> Value {
        guard case .axes = decl.kind, case .ints(let xs) = value, xs.contains(where: { $0 < 0 }) || xs != xs.sorted(),
              let n = try? length(of: decl, ev) else { return value.value }
        return .vector(Self.canonicalAxes(xs, count: n))
    }

    /// `xs` with each negative axis counted from the end of `count` axes, sorted.
    static func canonicalAxes(_ xs: [Int], count n: Int) -> [Int] { xs.map { $0 < 0 ? $0 + n : $0 }.sorted() }

    private func length(of decl: AttrDecl, _ ev: Evaluator) throws -> Int {
        switch decl.kind {
        case .perm(let n), .axes(let n), .ints(let n?):
            do { return try ev.eval(n).asInt() } catch { throw InstanceError(name, "attribute '\(decl.name)': \(error)") }
        default: return -1
        }
    }

    private func defaultValue(_ decl: AttrDecl, _ e: Expr, _ ev: Evaluator) throws -> AttributeValue {
        if case .name(let n) = e.kind {
            if case .enumeration = decl.kind { return .name(n) }
            if case .dtype = decl.kind, let d = DType(rawValue: n) { return .dtype(d) }
        }
        let v: Value
        do { v = try ev.eval(e) } catch { throw InstanceError(name, "default of '\(decl.name)': \(error)") }
        switch (decl.kind, v) {
        // Real attributes are float32 values, as ONNX stores them, so defaults survive export.
        case (.real, .scalar(let s)): return .real(Double(Float(s.asDouble)))
        case (.ints, .scalar), (.axes, .scalar), (.perm, .scalar):
            return .ints(Array(repeating: try v.asInt(), count: max(0, try length(of: decl, ev))))
        case (_, .vector(let xs)): return .ints(xs)
        default: return .int(try v.asInt())
        }
    }

    private func validate(_ decl: AttrDecl, _ value: AttributeValue, _ ev: Evaluator) throws {
        func fail(_ why: String) -> InstanceError { InstanceError(name, "attribute '\(decl.name)' = \(value): \(why)") }
        switch (decl.kind, value) {
        case (.int, .int): return
        case (.bool, .int(let v)): if v != 0 && v != 1 { throw fail("must be 0 or 1") }
        case (.real, .real): return
        case (.ints(let n), .ints(let xs)):
            if n != nil, try xs.count != length(of: decl, ev) { throw fail("needs \(try length(of: decl, ev)) values") }
        case (.enumeration(let cases), .name(let c)):
            if !cases.contains(c) { throw fail("must be one of \(cases.joined(separator: ", "))") }
        case (.dtype(let allowed), .dtype(let d)):
            if !allowed.isEmpty, !(DTypeGroups.resolve(all: allowed) ?? []).contains(d) { throw fail("dtype not allowed") }
        case (.perm, .ints(let xs)):
            if xs.sorted() != Array(0..<(try length(of: decl, ev))) { throw fail("not a permutation of 0..<\(try length(of: decl, ev))") }
        case (.axes, .ints(let xs)):
            let n = try length(of: decl, ev)
            if Set(Self.canonicalAxes(xs, count: n)).count != xs.count || xs.contains(where: { $0 < -n || $0 >= n }) {
                throw fail("axes must be distinct and in -\(n)..<\(n)")
            }
        default:
            throw fail("wrong kind of value for a \(decl.kind) attribute")
        }
    }
}
