/// Prints expressions back in spec syntax, for messages and `specs show`.
extension Expr: CustomStringConvertible {
    public var description: String { print(0) }

    private static func precedence(_ op: String) -> Int {
        switch op {
        case "||": return 2
        case "&&": return 3
        case "==", "!=", "<", "<=", ">", ">=": return 4
        case "+", "-": return 5
        default: return 6
        }
    }

    private func print(_ context: Int) -> String {
        switch kind {
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .name(let n): return n
        case .string(let s): return "\"\(s)\""
        case .unary(let op, let e): return op + e.print(7)
        case .binary(let op, let a, let b):
            let p = Self.precedence(op)
            let s = "\(a.print(p)) \(op) \(b.print(p + 1))"
            return p < context ? "(\(s))" : s
        case .conditional(let c, let a, let b):
            let s = "\(c.print(2)) ? \(a.print(0)) : \(b.print(0))"
            return context > 0 ? "(\(s))" : s
        case .call(let f, let args): return "\(f)(\(args.map { $0.print(0) }.joined(separator: ", ")))"
        case .vector(let items): return "[\(items.map { $0.print(0) }.joined(separator: ", "))]"
        case .read(let t, let items, let d):
            let s = "\(t)[\(items.map(\.description).joined(separator: ", "))]"
            return d.map { "\(s) else \($0.print(7))" } ?? s
        case .reduce(let r, let binders, let body):
            let bs = binders.map { "\($0.isVector ? "*" : "")\($0.name) < \($0.bound.print(5))" }.joined(separator: ", ")
            let s = "\(r)(\(bs)) \(body.print(0))"
            return context > 0 ? "(\(s))" : s
        }
    }
}

extension IndexItem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .scalar(let e): return e.description
        case .splice(let e): return "*" + e.description
        }
    }
}

extension Term: CustomStringConvertible {
    /// `Transpose(Transpose(X, perm = p), perm = inverse(p))`, as written in an `identity` line.
    public var description: String {
        switch self {
        case .variable(let n, _): return n
        case .apply(let op, let args, let attributes, _):
            let parts = args.map(\.description) + attributes.keys.sorted().map { "\($0) = \(attributes[$0]!)" }
            return "\(op)(\(parts.joined(separator: ", ")))"
        }
    }
}
