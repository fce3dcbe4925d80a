import TensorCore

/// What a backend computes and how the oracle is to judge it, as the backend declares it, so that documented
/// behaviour is not filed as a bug.
public struct BackendCapabilities: Sendable, Hashable, Codable {
    /// How the backend rounds floating-point results.
    public enum Rounding: String, Sendable, Hashable, Codable {
        /// Like the reference: once per operator output, in the output dtype. Any disagreement beyond tolerance is a
        /// wrong result, even where a discontinuous operator turned a one-ulp difference into a large one.
        case reference
        /// Its own way (wider accumulators, its own transcendental functions), within tolerance. A divergence whose
        /// first wrong operator is right for the backend's own values of its inputs is amplified rounding, not a bug.
        case own
    }

    /// Where the backend runs.
    public enum Isolation: String, Sendable, Hashable, Codable {
        /// In graphsmith's own process.
        case inProcess = "in-process"
        /// In a worker process of its own, which may crash, hang or print to stdout without harming graphsmith.
        case worker
    }

    public var rounding: Rounding
    public var isolation: Isolation
    /// Dtypes the backend documents computing at another precision (a CPU plugin computing f64 as f32); the oracle
    /// files a wrong result this explains as `precision-policy` (`Oracle.PrecisionPolicy`).
    public var computesAs: [DType: DType]
    /// The highest ONNX opset the backend reads, when it has one; a model needing more is unsupported (`refusal`).
    public var maxOpset: Int?
    /// Dtypes the backend does not compute at all; a model using one is unsupported (`refusal`).
    public var unsupportedDTypes: Set<DType> = []
    /// Whether integers cross the backend's boundary without their signedness (unsigned read back as signed).
    /// Informational only: the adapter reinterprets the bits of such results as the model's unsigned dtype before
    /// they leave the host (the IREE adapter's `restore`), so the oracle compares them like any other output and
    /// needs no rule of its own; a result of another width or kind is still a wrong output type.
    public var signlessIntegers = false
    /// Seconds a test needs at least on this backend (a compiler that builds C++ for each model): campaigns raise
    /// their default time limit to it, so a slow compile is not filed as a hang.
    public var minTestSeconds: Double?
    /// The documented behaviour behind these, one line each, for reports.
    public var notes: [String] = []

    public init(rounding: Rounding, isolation: Isolation, computesAs: [DType: DType] = [:], maxOpset: Int? = nil) {
        self.rounding = rounding
        self.isolation = isolation
        self.computesAs = computesAs
        self.maxOpset = maxOpset
    }

    /// The reference interpreter and the in-repo compiler: exact rounding, in this process.
    public static let inRepo = BackendCapabilities(rounding: .reference, isolation: .inProcess)
}
