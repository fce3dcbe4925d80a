import TensorCore

/// The bit functions of the spec language, on the 64-bit two's-complement pattern the evaluators hold.
///
/// A signed value is held sign-extended and an unsigned one zero-extended, so the pattern of a narrower dtype's
/// value is the low bits of the 64-bit pattern; a spec gets the dtype's meaning by casting the result to it (which
/// drops the bits above the dtype). Floats are refused: bits of a float are not the spec language's business.
///
/// - `bitand(a, b)`, `bitor(a, b)`, `bitxor(a, b)`: the 64-bit patterns combined; unsigned if both are unsigned,
///   else signed (the same pattern read as Int64, as mixed arithmetic does).
/// - `shl(a, n)`: a's pattern moved n places up, bits past bit 63 lost, zeros shifted in; a shift n outside 0...63
///   (a negative n included) gives 0, what moving every bit out gives. The result keeps a's signedness.
/// - `shr(a, n)`: a's pattern moved n places down; for signed a copies of the sign bit are shifted in (floor of
///   a / 2^n), for unsigned a zeros. A shift n outside 0...63 gives the sign fill alone: -1 for negative signed a,
///   else 0.
extension ScalarSemantics {
    /// The bit functions, by name, to be merged into `functions`.
    static let bitFunctions: [String: Function] = [
        "bitand": Function(arity: 2) { a in try combine("bitand", a[0], a[1], &) },
        "bitor": Function(arity: 2) { a in try combine("bitor", a[0], a[1], |) },
        "bitxor": Function(arity: 2) { a in try combine("bitxor", a[0], a[1], ^) },
        "shl": Function(arity: 2) { a in try shift("shl", a[0], a[1]) },
        "shr": Function(arity: 2) { a in try shift("shr", a[0], a[1]) },
    ]

    private static func combine(_ name: String, _ a: Scalar, _ b: Scalar, _ f: (UInt64, UInt64) -> UInt64) throws -> Scalar {
        try refuseFloat(name, a, b)
        let bits = f(unsigned(a), unsigned(b))
        return domain(a, b) == .uint ? .uint(bits) : .int(Int64(bitPattern: bits))
    }

    /// Read as unsigned, a negative shift is beyond 63 and so out of range, as it is in the C prelude.
    private static func shift(_ name: String, _ a: Scalar, _ n: Scalar) throws -> Scalar {
        try refuseFloat(name, a, n)
        let places = unsigned(n), inRange = places <= 63
        switch (a, name == "shl") {
        case (.uint(let v), true): return .uint(inRange ? v << places : 0)
        case (.uint(let v), false): return .uint(inRange ? v >> places : 0)
        case (_, true): return .int(inRange ? signed(a) << Int64(places) : 0)
        case (_, false): return .int(signed(a) >> Int64(inRange ? places : 63))
        }
    }

    private static func refuseFloat(_ name: String, _ a: Scalar, _ b: Scalar) throws {
        if case .float = a { throw EvalError("\(name) takes integers, not the float \(a)") }
        if case .float = b { throw EvalError("\(name) takes integers, not the float \(b)") }
    }
}
