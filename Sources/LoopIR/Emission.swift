/// The C the code generator writes for an operation whose C spelling can differ from ONNX's meaning: the C library
/// function of ONNX `Round`, and the division of signed integers. Fault injection swaps one for a faulty variant
/// (`LoweringVariants.inject`); the VM never reads these, so a wrong choice here is a code-generation bug.
public struct Emission: Sendable, Hashable {
    /// The C function `round(x)` of the spec language is written as: to nearest, ties to even (ONNX `Round`).
    public var round: RoundFunction = .nearbyint
    /// How `a / b` of signed integers is written, given the two C operands: truncating toward zero, as ONNX divides.
    public var signedDivision: SignedDivision = .truncating
    public init() {}
}

/// The C function for rounding to the nearest integer.
public typealias RoundFunction = Variant<String>
/// The C text of a signed integer division of two operands.
public typealias SignedDivision = Variant<@Sendable (String, String) -> String>

extension Variant where Implementation == String {
    /// `nearbyint`: ties to even in the default rounding mode, as ONNX `Round` and the reference round.
    public static var nearbyint: RoundFunction { Variant("nearbyint", "nearbyint") }
    /// Faulty: C's `round`, which rounds ties away from zero (2.5 to 3, where ONNX gives 2).
    public static var roundHalfAway: RoundFunction { Variant("round", "round") }
}

extension Variant where Implementation == @Sendable (String, String) -> String {
    /// The prelude's checked division: toward zero, an error on a zero divisor.
    public static var truncating: SignedDivision { Variant("truncating") { a, b in "gs_idiv(\(a), \(b), err)" } }
    /// The general path (`emit-signed-division` off): the quotient of C's `lldiv`, toward zero, with the same checks.
    public static var lldivQuotient: SignedDivision { Variant("lldiv-quotient") { a, b in "gs_idiv_lldiv(\(a), \(b), err)" } }
    /// Faulty: the quotient through `double`, floored, as a vectorizer might divide integers: wrong toward minus
    /// infinity when the operands' signs differ and the division is inexact (and beyond 2^53).
    public static var flooredThroughDouble: SignedDivision {
        Variant("floored-through-double") { a, b in "(gs_idiv(\(a), \(b), err), (int64_t)floor((double)(\(a)) / (double)(\(b))))" }
    }
}
