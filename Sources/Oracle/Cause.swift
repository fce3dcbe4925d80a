import TensorCore

/// Where a wrong result of the in-repo compiler that no pass or path switch mends comes from, narrowed to the
/// minimal failing kernel: the fingerprint key of such findings (`Fingerprint.cause`). A wrong result of an outside
/// compiler or runtime, which has no switches, is keyed the same way at its first wrong operator (stage `runtime`).
///
/// Lowering turns a spec's compute into loop IR once for every dtype (dtypes enter only at casts, which code
/// generation writes), so a lowering cause is the operator alone: one lowering bug in ArgMax is one finding
/// whatever the element type. Code generation writes each value in a C type family (float, signed, unsigned,
/// bool) with its own spellings, so a code-generation cause is the operator and that family.
public struct Cause: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Where the wrong value was made.
    public enum Stage: String, Codable, Hashable, Sendable {
        /// The in-repo compiler's lowering: its VM is wrong too.
        case lowering
        /// The in-repo compiler's code generation: only native code is wrong.
        case codegen
        /// An outside backend, at its first wrong operator.
        case runtime
    }

    public var stage: Stage
    /// The operator of the first wrong value.
    public var op: String
    /// For code generation, the C type family of that value; nil for lowering.
    public var family: String?

    public init(stage: Stage, op: String, family: String? = nil) {
        self.stage = stage
        self.op = op
        self.family = family
    }

    /// The cause of a wrong `op` value of `dtype` found at `stage`.
    public init(stage: Stage, op: String, dtype: DType?) {
        self.init(stage: stage, op: op, family: stage == .lowering ? nil : dtype.map(Self.family))
    }

    /// Whether the backends that failed are part of the key: for an outside backend they say whose bug it is (one
    /// runtime's or another's, its optimizer's or its kernel's); the in-repo compiler's levels all share one lowering.
    public var keepsBackends: Bool { stage == .runtime }

    /// `float`, `signed`, `unsigned` or `bool`: the C types native code computes a dtype's values in.
    public static func family(_ d: DType) -> String {
        d == .bool ? "bool" : d.isFloat ? "float" : d.isUnsignedInteger ? "unsigned" : "signed"
    }

    /// `stage:op` or `stage:op:family`, as the fingerprint's canonical text shows it.
    public var description: String { ([stage.rawValue, op] + (family.map { [$0] } ?? [])).joined(separator: ":") }

    /// A cause as older finding files wrote it, `stage:op:dtype` (read only; the dtype becomes its family).
    init?(legacy text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let stage = Stage(rawValue: parts[0]) else { return nil }
        self.init(stage: stage, op: parts[1], dtype: parts.count > 2 ? DType(rawValue: parts[2]) : nil)
    }
}
