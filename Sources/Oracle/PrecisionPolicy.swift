import Backends
import ModelIR
import TensorCore

/// A backend's documented precision (`BackendCapabilities.computesAs`: dtype D computed as dtype E) as the oracle
/// applies it, so that what the documentation says the backend does is `precision-policy`, not a wrong result.
///
/// - A float computed in a float of less precision (f64 as f32) is compared at the tolerance of E: the backend
///   cannot be closer than E's rounding.
/// - A float computed in a float of more precision (f16 or bf16 as f32) keeps D's tolerance, compared both with the
///   reference and with the reference computed in E (`WidenedReference`): rounding once at the end instead of
///   after every operator is what the backend documents, even where an ill-conditioned operator makes it large.
/// - A value of D that does not fit E (an i64 beyond i32's range, an f64 beyond f32's) wraps, saturates or
///   overflows as the backend documents, so a wrong result downstream of one is the policy's.
public struct PrecisionPolicy: Sendable, Hashable {
    /// Dtype D computed as dtype E.
    public var computesAs: [DType: DType]

    public init(computesAs: [DType: DType]) { self.computesAs = computesAs }

    /// No declared policy: every dtype at its own tolerance.
    public static let exact = PrecisionPolicy(computesAs: [:])

    /// The tolerance values of `dtype` are compared at.
    public func tolerance(for dtype: DType) -> Tolerance {
        let own = Tolerance.default(for: dtype)
        guard let computed = computesAs[dtype], computed.isFloat, dtype.isFloat else { return own }
        let wider = Tolerance.default(for: computed)
        return wider.rtol > own.rtol ? wider : own
    }

    /// Whether some value of `model` is compared at a wider tolerance than its dtype's.
    func relaxes(_ model: Model) -> Bool {
        model.valueTypes.values.contains { tolerance(for: $0.dtype) != .default(for: $0.dtype) }
    }

    /// Whether the policy speaks about any of these dtypes.
    func covers(_ dtypes: some Sequence<DType>) -> Bool {
        dtypes.contains { computesAs[$0] != nil }
    }

    /// The first value among `names` (by the reference's `values`) of a dtype D the backend computes as E that does
    /// not fit E, said in one line; nil when every value fits.
    func valueBeyondRange(_ names: [String], values: [String: Tensor]) -> String? {
        for name in names {
            guard let t = values[name], let narrow = computesAs[t.dtype], narrow != t.dtype,
                  (0..<t.count).contains(where: { !Self.fits(t, at: $0, in: narrow) }) else { continue }
            // No value or name in the line: it keys the de-duplicated list of documented outcomes.
            return "a \(t.dtype) value beyond the range of \(narrow), which the backend computes \(t.dtype) as"
        }
        return nil
    }

    /// The policy's pairs for the dtypes of `model`, e.g. `f64 as f32`.
    func summary(_ model: Model) -> String {
        let dtypes = Set(model.valueTypes.values.map(\.dtype))
        return computesAs.filter { dtypes.contains($0.key) }.map { "\($0.key) as \($0.value)" }.sorted().joined(separator: ", ")
    }

    /// Whether element `i` of `t` is representable in `dtype`: in range for an integer dtype, finite for a float one.
    static func fits(_ t: Tensor, at i: Int, in dtype: DType) -> Bool {
        if dtype.isInteger { return IntegerRange(dtype).contains(t.scalar(at: i)) }
        guard dtype.isFloat, t.dtype.isFloat else { return true }
        let x = t.double(at: i)
        return !x.isFinite || Tensor(dtype: dtype, shape: [1], doubles: [x]).double(at: 0).isFinite
    }
}
