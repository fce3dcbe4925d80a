/// Acceptance thresholds for comparing a compiled result against the reference.
public struct Tolerance: Sendable, Hashable {
    /// Relative tolerance, scaled by the magnitude of the expected value.
    public var rtol: Double
    /// Absolute tolerance, which covers results near zero where relative error is meaningless.
    public var atol: Double

    /// Creates a tolerance from relative and absolute parts.
    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    /// Both parts multiplied by `factor` (a user's `--tolerance`).
    public func scaled(by factor: Double) -> Tolerance {
        factor == 1 ? self : Tolerance(rtol: rtol * factor, atol: atol * factor)
    }

    /// Whether `actual` is close enough to `expected`: |a - e| <= atol + rtol * |e|; NaN and infinities only
    /// equal themselves (NaN any NaN).
    public func accepts(_ actual: Double, _ expected: Double) -> Bool {
        if actual.isNaN || expected.isNaN || actual.isInfinite || expected.isInfinite {
            return (actual.isNaN && expected.isNaN) || actual == expected
        }
        return abs(actual - expected) <= atol + rtol * abs(expected)
    }

    /// The default tolerance for comparing tensors of `dtype`.
    ///
    /// Compilers legitimately reorder reductions, fuse operations and use fused
    /// multiply-add, so float results drift by many ULPs of the element type. The
    /// defaults leave room for that drift while still catching real bugs:
    /// * f64 (eps ≈ 2.2e-16): rtol 1e-9, atol 1e-12, roughly 10^7 ULPs for long reductions;
    /// * f32 (eps ≈ 1.2e-7): rtol 1e-4, atol 1e-5, about 800 ULPs;
    /// * f16 (eps ≈ 9.8e-4): rtol 1e-2, atol 1e-3, about 10 ULPs, since compilers
    ///   often accumulate in f32 and round once, or not;
    /// * bf16 (eps ≈ 7.8e-3): rtol 2e-2, atol 1e-2, only 2–3 ULPs of its 8-bit significand;
    /// * integers and bool: exact, because their arithmetic is exact (wrapping included).
    public static func `default`(for dtype: DType) -> Tolerance {
        switch dtype {
        case .f64: return Tolerance(rtol: 1e-9, atol: 1e-12)
        case .f32: return Tolerance(rtol: 1e-4, atol: 1e-5)
        case .f16: return Tolerance(rtol: 1e-2, atol: 1e-3)
        case .bf16: return Tolerance(rtol: 2e-2, atol: 1e-2)
        default: return Tolerance(rtol: 0, atol: 0)
        }
    }
}

/// The outcome of an elementwise comparison, with enough statistics to triage a mismatch.
public struct ComparisonReport: Sendable, Hashable {
    /// Number of elements compared (0 when shapes or dtypes differ).
    public var count: Int = 0
    /// Number of elements outside tolerance.
    public var mismatches: Int = 0
    /// Largest |actual - expected| over pairs where both are finite.
    public var maxAbsError: Double = 0
    /// Largest |actual - expected| / |expected| over finite pairs (+inf if expected is 0 and actual is not).
    public var maxRelError: Double = 0
    /// Largest ULP distance (for integers, the absolute difference) over all pairs.
    public var maxULP: UInt64 = 0
    /// Flat index of the first element outside tolerance, if any.
    public var firstMismatch: Int?
    /// NaN elements in the expected tensor.
    public var nanInExpected: Int = 0
    /// NaN elements in the actual tensor.
    public var nanInActual: Int = 0
    /// Infinite elements in the expected tensor.
    public var infInExpected: Int = 0
    /// Infinite elements in the actual tensor.
    public var infInActual: Int = 0
    /// Mismatches where either side was NaN or infinite.
    public var nanOrInfMismatches: Int = 0
    /// Whether the shapes differ (no elements are compared then).
    public var shapeMismatch: Bool = false
    /// Whether the dtypes differ (no elements are compared then).
    public var dtypeMismatch: Bool = false
    /// Whether the tensors agree: same dtype and shape, and no mismatching elements.
    public var passed: Bool = false

    /// Creates an empty report; `Compare.allClose` fills it in.
    public init() {}
}

/// Numeric comparison of tensors.
public enum Compare {
    /// allclose: |a - e| <= atol + rtol * |e|, elementwise; NaN equals NaN only where both NaN; +inf/-inf must match exactly; integers/bools compared exactly.
    ///
    /// Signed zeros compare equal. Tensors with different dtypes or shapes fail
    /// without elementwise statistics.
    public static func allClose(actual: Tensor, expected: Tensor, tolerance: Tolerance) -> ComparisonReport {
        var report = ComparisonReport()
        report.dtypeMismatch = actual.dtype != expected.dtype
        report.shapeMismatch = actual.shape != expected.shape
        if report.dtypeMismatch || report.shapeMismatch { return report }

        let dtype = expected.dtype
        report.count = expected.count
        for i in 0..<expected.count {
            let ok: Bool
            if dtype.isFloat {
                ok = compareFloat(
                    actual.double(at: i), expected.double(at: i), dtype: dtype,
                    tolerance: tolerance, report: &report)
            } else {
                report.maxULP = max(report.maxULP, bitDistance(actual.bits[i], expected.bits[i], dtype: dtype))
                ok = compareExact(actual.scalar(at: i), expected.scalar(at: i), report: &report)
            }
            if !ok {
                report.mismatches += 1
                if report.firstMismatch == nil { report.firstMismatch = i }
            }
        }
        report.passed = report.mismatches == 0
        return report
    }

    /// Distance in units in the last place between two values of the same float dtype (0 when equal, UInt64.max when either is NaN and the other is not).
    ///
    /// Values are first rounded to `dtype`. Counts representable values between the
    /// two, so -0 and +0 are 0 apart and the largest finite value is 1 ULP from
    /// infinity. Two NaNs are 0 apart. For integer and bool dtypes it returns the
    /// absolute difference of the values after casting to `dtype`.
    public static func ulpDistance(_ a: Double, _ b: Double, dtype: DType) -> UInt64 {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : UInt64.max }
        let x = ElementCodec.bits(of: .float(a), as: dtype)
        let y = ElementCodec.bits(of: .float(b), as: dtype)
        return bitDistance(x, y, dtype: dtype)
    }

    /// Distance between two bit patterns of `dtype`: ULPs for floats, |difference| for integers.
    static func bitDistance(_ x: UInt64, _ y: UInt64, dtype: DType) -> UInt64 {
        if dtype.isFloat {
            return distance(orderedFloat(x, dtype: dtype), orderedFloat(y, dtype: dtype))
        }
        switch (ElementCodec.scalar(bits: x, dtype: dtype), ElementCodec.scalar(bits: y, dtype: dtype)) {
        case (.int(let p), .int(let q)): return distance(p, q)
        case (.uint(let p), .uint(let q)): return p > q ? p - q : q - p
        default: return x == y ? 0 : 1
        }
    }

    /// Maps a sign-magnitude float encoding onto a line where adjacent values differ by 1.
    private static func orderedFloat(_ bits: UInt64, dtype: DType) -> Int64 {
        let signBit = UInt64(1) << UInt64(dtype.bitWidth - 1)
        let magnitude = Int64(bitPattern: bits & (signBit - 1))
        return bits & signBit != 0 ? -magnitude : magnitude
    }

    /// |p - q| without overflow; the true difference of two Int64s always fits in UInt64.
    private static func distance(_ p: Int64, _ q: Int64) -> UInt64 {
        p >= q ? UInt64(bitPattern: p &- q) : UInt64(bitPattern: q &- p)
    }

    /// Compares one float pair, updating the counters; returns whether it is within tolerance.
    private static func compareFloat(
        _ a: Double, _ e: Double, dtype: DType, tolerance: Tolerance, report: inout ComparisonReport
    ) -> Bool {
        if a.isNaN { report.nanInActual += 1 }
        if e.isNaN { report.nanInExpected += 1 }
        if a.isInfinite { report.infInActual += 1 }
        if e.isInfinite { report.infInExpected += 1 }
        report.maxULP = max(report.maxULP, ulpDistance(a, e, dtype: dtype))

        if a.isNaN || e.isNaN || a.isInfinite || e.isInfinite {
            // Non-finite values carry no magnitude to be "close" to: demand an exact match.
            let ok = tolerance.accepts(a, e)
            if !ok { report.nanOrInfMismatches += 1 }
            return ok
        }
        let diff = abs(a - e)
        report.maxAbsError = max(report.maxAbsError, diff)
        let rel = e == 0 ? (diff == 0 ? 0 : Double.infinity) : diff / abs(e)
        report.maxRelError = max(report.maxRelError, rel)
        return tolerance.accepts(a, e)
    }

    /// Compares one integer or bool pair exactly, updating the error statistics.
    private static func compareExact(_ a: Scalar, _ e: Scalar, report: inout ComparisonReport) -> Bool {
        if a == e { return true }
        let diff = abs(a.asDouble - e.asDouble)
        report.maxAbsError = max(report.maxAbsError, diff)
        let magnitude = abs(e.asDouble)
        report.maxRelError = max(report.maxRelError, magnitude == 0 ? Double.infinity : diff / magnitude)
        return false
    }
}
