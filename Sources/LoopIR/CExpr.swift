import Foundation
import TensorCore

/// Writes loop-IR expressions as C, each with its static type.
struct CExpr {
    /// The C type of every buffer of the op being emitted.
    let bufferTypes: [CType]
    /// The C spellings of the operator being emitted.
    var emission = Emission()
    /// Slots holding a value rather than an index (`ReductionJam.hole`), with its C type; others are `int64_t`.
    var valueSlots: [Int: CType] = [:]

    typealias Code = (text: String, type: CType)

    func convert(_ c: Code, to t: CType) -> String {
        if c.type == t { return c.text }
        switch (c.type, t) {
        case (.f64, .i64): return "gs_f2i(\(c.text))"
        case (.f64, .u64): return "(uint64_t)gs_f2i(\(c.text))"
        case (.f64, .bool): return "((\(c.text)) != 0)"
        case (_, .bool): return "((\(c.text)) != 0)"
        default: return "((\(t.rawValue))(\(c.text)))"
        }
    }

    static func literal(_ s: Scalar) -> Code {
        switch s {
        case .float(let d):
            if d.isNaN { return ("NAN", .f64) }
            if d.isInfinite { return (d < 0 ? "(-INFINITY)" : "INFINITY", .f64) }
            return ("(" + String(format: "%a", d) + ")", .f64)
        case .int(let v): return (v == .min ? "INT64_MIN" : "INT64_C(\(v))", .i64)
        case .uint(let v): return ("UINT64_C(\(v))", .u64)
        case .bool(let b): return (b ? "1" : "0", .bool)
        }
    }

    func emit(_ e: LExpr) throws -> Code {
        switch e {
        case .const(let s): return Self.literal(s)
        case .slot(let k): return ("s\(k)", valueSlots[k] ?? .i64)
        case .unary(let op, let a):
            let x = try emit(a)
            if op == "!" { return ("(!(\(convert(x, to: .bool))))", .bool) }
            return negate(x)
        case .binary(let op, let a, let b): return try binary(op, try emit(a), try emit(b))
        case .select(let c, let a, .load(_, _, .const(let ok), nil)) where !ok.isTrue:
            // A read that can only fail (inlining's out-of-range guard): an error, typed as the other branch.
            let x = try emit(a)
            return ("(\(convert(try emit(c), to: .bool)) ? \(x.text) : (*err = 2, (\(x.type.rawValue))0))", x.type)
        case .select(let c, let a, let b):
            let x = try emit(a), y = try emit(b)
            let t = x.type == y.type ? x.type : CType.join(x.type, y.type)
            return ("(\(convert(try emit(c), to: .bool)) ? \(convert(x, to: t)) : \(convert(y, to: t)))", t)
        case .call(let f, let args): return try CFunctions.emit(f, try args.map(emit), self)
        case .cast(let d, let a): return CFunctions.cast(try emit(a), to: d, self)
        case .load(let b, let offset, let inBounds, let fallback):
            let off = convert(try emit(offset), to: .i64), ok = convert(try emit(inBounds), to: .bool)
            let element: Code = ("b\(b)[\(off)]", bufferTypes[b])
            guard let fb = fallback else { return ("(\(ok) ? \(element.text) : (*err = 2, \(element.type.rawValue == "double" ? "0.0" : "0")))", element.type) }
            let f = try emit(fb)
            let t = f.type == element.type ? f.type : CType.join(f.type, element.type)
            return ("(\(ok) ? \(convert(element, to: t)) : \(convert(f, to: t)))", t)
        case .reduce(let r, let slots, let extents, let body): return try reduce(r, slots, extents, try emit(body))
        case .argReduce(let r, let slot, let extent, let body):
            let v = try emit(body)
            let t = v.type == .bool ? CType.i64 : v.type
            let better = r == "argmax" ? ">" : "<"
            return ("""
                ({ \(t.rawValue) best = 0; int64_t at = 0; int first = 1;
                   for (int64_t s\(slot) = 0; s\(slot) < \(extent); s\(slot)++) {
                     \(t.rawValue) v = \(convert(v, to: t));
                     if (first) { best = v; at = s\(slot); first = 0; } else if (v \(better) best) { best = v; at = s\(slot); } }
                   at; })
                """, .i64)
        }
    }

    private func negate(_ x: Code) -> Code {
        switch x.type {
        case .f64: return ("(-(\(x.text)))", .f64)
        case .u64: return ("((uint64_t)0 - \(x.text))", .u64)
        default: return ("((int64_t)((uint64_t)0 - (uint64_t)\(convert(x, to: .i64))))", .i64)
        }
    }

    private func binary(_ op: String, _ x: Code, _ y: Code) throws -> Code {
        switch op {
        case "&&", "||": return ("(\(convert(x, to: .bool)) \(op) \(convert(y, to: .bool)))", .bool)
        default: break
        }
        let t = CType.join(x.type, y.type)
        let a = convert(x, to: t), b = convert(y, to: t)
        if ["==", "!=", "<", "<=", ">", ">="].contains(op) { return ("(\(a) \(op) \(b))", .bool) }
        switch (t, op) {
        case (.f64, "%"): return ("fmod(\(a), \(b))", .f64)
        case (.f64, _): return ("(\(a) \(op) \(b))", .f64)
        case (.u64, "/"): return ("gs_udiv(\(a), \(b), err)", .u64)
        case (.u64, "%"): return ("gs_umod(\(a), \(b), err)", .u64)
        case (.u64, _): return ("(\(a) \(op) \(b))", .u64)
        case (_, "/"): return (emission.signedDivision.implementation(a, b), .i64)
        case (_, "%"): return ("gs_imod(\(a), \(b), err)", .i64)
        default: return ("((int64_t)((uint64_t)\(a) \(op) (uint64_t)\(b)))", .i64)
        }
    }

    /// The value a reduction `r` of C type `t` over no values gives.
    static func identity(_ r: String, _ t: CType) -> String {
        switch (r, t) {
        case ("sum", _): return "0"
        case ("prod", _): return "1"
        case ("max", .f64): return "(-INFINITY)"
        case ("max", .u64): return "0"
        case ("max", _): return "INT64_MIN"
        case (_, .f64): return "INFINITY"
        case (_, .u64): return "UINT64_MAX"
        default: return "INT64_MAX"
        }
    }

    /// The value a reduction over at least one value starts from: one that combines with any first value v to v
    /// exactly, so the result is the same as starting from the first value. -0.0 + v is v for every v (+0.0 + -0.0
    /// is +0.0, so a float sum cannot start from its identity); 1 * v is v; max(-inf, v) and min(+inf, v) are v
    /// with `gs_maxf`/`gs_minf`, which return a NaN operand and otherwise `a` only when a >= b (a <= b), i.e.
    /// only when v is the seed itself; the integer bounds likewise.
    static func exactSeed(_ r: String, _ t: CType) -> String {
        r == "sum" && t == .f64 ? "-0.0" : identity(r, t)
    }

    /// One accumulator over every combination, row-major (the reference's order), giving what starting from the
    /// first value gives.
    private func reduce(_ r: String, _ slots: [Int], _ extents: [Int], _ v: Code) throws -> Code {
        let t = v.type == .bool ? CType.i64 : v.type
        if r == "max0" || r == "min0" {
            // The injected bug: start from 0.
            let f = (r == "max0" ? "gs_max" : "gs_min") + (t == .f64 ? "f" : t == .u64 ? "u" : "i")
            return ("({ \(t.rawValue) acc = 0; \(Self.loops(slots, extents)) { acc = \(f)(acc, \(convert(v, to: t))); } acc; })", t)
        }
        // Over no values, the identity; else from a seed the first value replaces exactly (`exactSeed`): the same
        // result as starting from the first value with no branch in the innermost loop, which the C compiler then
        // keeps tight (twice as fast on a convolution).
        guard extents.reduce(1, *) > 0 else { return ("((\(t.rawValue))\(Self.identity(r, t)))", t) }
        let p = parts(r, slots, extents, v)
        return ("({ \(t.rawValue) acc = \(p.seed); \(p.loops) { \(p.step) } acc; })", t)
    }

    /// A reduction over at least one value in pieces: its accumulator's C type, seed, loops, and the statement one
    /// iteration runs (reading `v`, updating `acc`).
    func parts(_ r: String, _ slots: [Int], _ extents: [Int], _ v: Code) -> (type: CType, seed: String, loops: String, step: String) {
        let t = v.type == .bool ? CType.i64 : v.type
        let combine: String
        switch (r, t) {
        case ("sum", .f64): combine = "acc + v"
        case ("sum", .u64): combine = "acc + v"
        case ("sum", _): combine = "(int64_t)((uint64_t)acc + (uint64_t)v)"
        case ("prod", .f64): combine = "acc * v"
        case ("prod", .u64): combine = "acc * v"
        case ("prod", _): combine = "(int64_t)((uint64_t)acc * (uint64_t)v)"
        case ("max", .f64): combine = "gs_maxf(acc, v)"
        case ("min", .f64): combine = "gs_minf(acc, v)"
        case ("max", .u64): combine = "gs_maxu(acc, v)"
        case ("min", .u64): combine = "gs_minu(acc, v)"
        case ("max", _): combine = "gs_maxi(acc, v)"
        default: combine = "gs_mini(acc, v)"
        }
        return (t, Self.exactSeed(r, t), Self.loops(slots, extents), "\(t.rawValue) v = \(convert(v, to: t)); acc = \(combine);")
    }

    /// The nested `for` headers of a reduction over `slots` with `extents`, row-major.
    private static func loops(_ slots: [Int], _ extents: [Int]) -> String {
        zip(slots, extents).map { "for (int64_t s\($0) = 0; s\($0) < \($1); s\($0)++)" }.joined(separator: " ")
    }
}
