import SpecLang
import TensorCore

/// `lowest(T)` and `highest(T)`: the extreme values of a dtype, infinities for floats (the identity of a max or
/// min), the range's ends for integers, 0 and 1 for bool.
public enum DTypeBounds {
    /// The bound as a value the evaluators compute with.
    public static func scalar(_ dtype: DType, lowest: Bool) -> Scalar {
        if dtype.isFloat { return .float(lowest ? -.infinity : .infinity) }
        if dtype.isBool { return .bool(!lowest) }
        if dtype.isUnsignedInteger { return lowest ? .uint(0) : .uint(dtype.bitWidth == 64 ? UInt64.max : (UInt64(1) << UInt64(dtype.bitWidth)) - 1) }
        let shift = Int64(64 - dtype.bitWidth)
        return .int(lowest ? Int64.min >> shift : Int64.max >> shift)
    }

    /// The bound as an expression every evaluator reads: a literal, or `cast(u64, -1)` for the one bound no
    /// literal holds.
    static func expr(_ dtype: DType, lowest: Bool, at location: SourceLocation) -> Expr {
        switch scalar(dtype, lowest: lowest) {
        case .float(let d): return Expr(.real(d), location)
        case .int(let v): return Expr(.integer(Int(v)), location)
        case .bool(let b): return Expr(.integer(b ? 1 : 0), location)
        case .uint(let v):
            if let i = Int(exactly: v) { return Expr(.integer(i), location) }
            return Expr(.call("cast", [Expr(.name(dtype.rawValue), location), Expr(.integer(-1), location)]), location)
        }
    }

    /// The dtype a name gives at an instance: a type variable, a dtype attribute or a dtype (`lowest(T)`,
    /// `const dtype x`).
    public static func dtype(named name: String, _ ev: Evaluator) -> DType? {
        if let d = ev.dtypes[name] ?? DType(rawValue: name) { return d }
        if case .dtype(let d)? = ev.constants[name] { return d }
        return nil
    }

    /// `e` with every `lowest(T)` and `highest(T)` replaced by its value at the instance's dtypes.
    static func resolve(_ e: Expr, _ ev: Evaluator) -> Expr {
        e.rewritten { x in
            guard case .call(let f, let args) = x.kind, f == "lowest" || f == "highest", args.count == 1,
                  case .name(let n) = args[0].kind, let d = dtype(named: n, ev) else { return nil }
            return expr(d, lowest: f == "lowest", at: x.location)
        }
    }
}
