import TensorCore

/// The spec language's element-wise functions, and casts, in C.
enum CFunctions {
    static let realUnary: [String: String] = [
        "exp": "exp", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin",
        "acos": "acos", "atan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "asinh": "asinh",
        "acosh": "acosh", "atanh": "atanh", "erf": "erf", "sigmoid": "gs_sigmoid",
    ]
    static let roundings: [String: String] = ["floor": "floor", "ceil": "ceil", "trunc": "trunc"]

    static func emit(_ f: String, _ a: [CExpr.Code], _ c: CExpr) throws -> CExpr.Code {
        if let g = realUnary[f] { return ("\(g)(\(c.convert(a[0], to: .f64)))", .f64) }
        if let g = f == "round" ? c.emission.round.implementation : roundings[f] { return a[0].type == .f64 ? ("\(g)(\(a[0].text))", .f64) : a[0] }
        switch f {
        case "abs":
            switch a[0].type {
            case .f64: return ("fabs(\(a[0].text))", .f64)
            case .u64: return a[0]
            default: return ("gs_absi(\(c.convert(a[0], to: .i64)))", .i64)
            }
        case "neg": return negate(a[0], c)
        case "sign":
            switch a[0].type {
            case .f64: return ("gs_signf(\(a[0].text))", .f64)
            case .u64: return ("(\(a[0].text) == 0 ? (uint64_t)0 : (uint64_t)1)", .u64)
            default: return ("gs_signi(\(c.convert(a[0], to: .i64)))", .i64)
            }
        case "isnan": return ("isnan(\(c.convert(a[0], to: .f64)))", .bool)
        case "isinf": return ("isinf(\(c.convert(a[0], to: .f64)))", .bool)
        case "pow":
            if a[0].type == .f64 || a[1].type == .f64 { return ("pow(\(c.convert(a[0], to: .f64)), \(c.convert(a[1], to: .f64)))", .f64) }
            let r = "gs_powi(\(c.convert(a[0], to: .i64)), \(c.convert(a[1], to: .i64)))"
            return a[0].type == .u64 ? ("(uint64_t)\(r)", .u64) : (r, .i64)
        case "max", "min": return extreme(f, a[0], a[1], c)
        case "clamp": return extreme("min", extreme("max", a[0], a[1], c), a[2], c)
        case "bitand", "bitor", "bitxor", "shl", "shr": return try bits(f, a[0], a[1], c)
        default: throw LoweringError("no C for function '\(f)'")
        }
    }

    private static func negate(_ x: CExpr.Code, _ c: CExpr) -> CExpr.Code {
        switch x.type {
        case .f64: return ("(-(\(x.text)))", .f64)
        case .u64: return ("((uint64_t)0 - \(x.text))", .u64)
        default: return ("((int64_t)((uint64_t)0 - (uint64_t)\(c.convert(x, to: .i64))))", .i64)
        }
    }

    /// The bit functions on the 64-bit pattern, as `ScalarBits` defines them; the shift count is read unsigned so a
    /// negative one is out of range.
    private static func bits(_ f: String, _ x: CExpr.Code, _ y: CExpr.Code, _ c: CExpr) throws -> CExpr.Code {
        guard x.type != .f64 && y.type != .f64 else { throw LoweringError("\(f) takes integers, not floats") }
        let (ux, uy) = (c.convert(x, to: .u64), c.convert(y, to: .u64))
        let unsigned: Bool, pattern: String
        switch f {
        case "shl": (unsigned, pattern) = (x.type == .u64, "gs_shl(\(ux), \(uy))")
        case "shr":
            if x.type == .u64 { return ("gs_shru(\(ux), \(uy))", .u64) }
            return ("gs_shri(\(c.convert(x, to: .i64)), \(uy))", .i64)
        default:
            let op = f == "bitand" ? "&" : (f == "bitor" ? "|" : "^")
            (unsigned, pattern) = (CType.join(x.type, y.type) == .u64, "(\(ux) \(op) \(uy))")
        }
        return unsigned ? (pattern, .u64) : ("((int64_t)\(pattern))", .i64)
    }

    private static func extreme(_ f: String, _ x: CExpr.Code, _ y: CExpr.Code, _ c: CExpr) -> CExpr.Code {
        let t = CType.join(x.type, y.type)
        let suffix = t == .f64 ? "f" : t == .u64 ? "u" : "i"
        return ("gs_\(f)\(suffix)(\(c.convert(x, to: t)), \(c.convert(y, to: t)))", t)
    }

    /// `cast(D, x)`: the value rounded or wrapped to `D` as the element codec does, kept in D's C domain.
    static func cast(_ x: CExpr.Code, to d: DType, _ c: CExpr) -> CExpr.Code {
        switch d {
        case .f64: return (c.convert(x, to: .f64), .f64)
        case .f32: return ("((double)(float)\(c.convert(x, to: .f64)))", .f64)
        case .f16: return ("gs_round_fmt(\(c.convert(x, to: .f64)), 10, -14, 15)", .f64)
        case .bf16: return ("gs_round_fmt(\(c.convert(x, to: .f64)), 7, -126, 127)", .f64)
        case .bool: return ("((\(x.text)) != 0)", .bool)
        default:
            let bits = d.bitWidth
            if x.type == .f64 {
                if d.isUnsignedInteger {
                    return ("gs_f2uint(\(x.text), \(bits == 64 ? "18446744073709551615.0" : "\(Double(UInt64(1) << UInt64(bits)) - 1)"))", .u64)
                }
                let hi = bits == 64 ? "9223372036854775807.0" : "\(Double((Int64(1) << Int64(bits - 1)) - 1))"
                let lo = bits == 64 ? "-9223372036854775808.0" : "\(-Double(Int64(1) << Int64(bits - 1)))"
                return ("gs_f2int(\(x.text), \(lo), \(hi))", .i64)
            }
            let raw = c.convert(x, to: x.type == .bool ? .i64 : x.type)
            if d.isUnsignedInteger {
                return bits == 64 ? ("((uint64_t)\(raw))", .u64) : ("(((uint64_t)\(raw)) & UINT64_C(\((UInt64(1) << UInt64(bits)) - 1)))", .u64)
            }
            return bits == 64 ? ("((int64_t)\(raw))", .i64) : ("((int64_t)(int\(bits)_t)(uint64_t)\(raw))", .i64)
        }
    }
}
