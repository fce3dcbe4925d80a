import SpecLang
import SpecLib

/// Renders the parts of a spec as they are written in spec files, for listings and messages.
enum SpecText {
    /// `X: T[N, C, *S]`.
    static func port(_ p: PortDecl) -> String {
        "\(p.name): \(p.type.name)[\(p.shape.map(\.description).joined(separator: ", "))]"
            + (p.presence.map { " if \($0.condition) else \($0.fallback)" } ?? "")
    }

    /// `int`, `ints[2 * rank(X)]`, `enum(constant, reflect)`, `dtype in num`, `perm(rank(X))`, ...
    static func kind(_ k: AttrKind) -> String {
        switch k {
        case .int: return "int"
        case .real: return "real"
        case .bool: return "bool"
        case .ints(let n): return n.map { "ints[\($0)]" } ?? "ints"
        case .enumeration(let cases): return "enum(\(cases.joined(separator: ", ")))"
        case .dtype(let allowed): return allowed.isEmpty ? "dtype" : "dtype in \(allowed.joined(separator: ", "))"
        case .perm(let n): return "perm(\(n))"
        case .axes(let n): return "axes(\(n))"
        }
    }

    /// The default as written (`-1`, `all`), or nil when the attribute is required.
    static func defaultValue(_ a: AttrDecl) -> String? {
        switch a.defaultValue {
        case .expr(let e)?: return e.description
        case .all?: return "all"
        case nil: return nil
        }
    }

    /// `axis: int in -rank(X) .. rank(X) - 1 = -1`.
    static func attribute(_ a: AttrDecl) -> String {
        var s = "\(a.name): \(kind(a.kind))"
        if let (lo, hi) = a.range { s += " in \(lo) .. \(hi)" }
        if let d = defaultValue(a) { s += " = \(d)" }
        return s
    }

    /// `Conv opset 11`, `Mod opset 13/28` (opsets of several `onnx` lines, in order), or `-` when the op has no
    /// ONNX mapping.
    static func onnx(_ spec: OpSpec) -> String {
        spec.file.onnx.map { "\($0.opType) opset " + spec.file.onnxMappings.map { String($0.opset) }.joined(separator: "/") } ?? "-"
    }

}
