/// The project's own PRNG: xoshiro256** seeded through SplitMix64, so one seed gives the same bits on every machine.
///
/// Everything here uses only wrapping integer arithmetic and exact scaling by
/// 2^-53; no libm and no standard-library sampling helpers, whose algorithms may
/// change between Swift releases. A fuzzing seed therefore reproduces exactly.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the four state words with successive SplitMix64 outputs starting from `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // SplitMix64 is a bijection on its counter, so four consecutive outputs are
        // never all zero; the all-zero state (a fixed point of xoshiro) cannot occur.
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform Double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double {
        // 53 bits fill a Double's significand exactly, so the scaling is exact.
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform Int in a closed range, without modulo bias (use rejection or Lemire), deterministic.
    ///
    /// Uses Lemire's multiply-and-reject method on the full 64-bit width.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        // Width of the range minus one, computed without overflow for any bounds.
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        if span == UInt64.max {
            return Int(bitPattern: UInt(next()))
        }
        let n = span + 1
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            // Reject the low products that would make some outcomes over-represented.
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return range.lowerBound &+ Int(bitPattern: UInt(product.high))
    }

    /// Uniform Double in [low, high) (returns `low` when the interval is empty).
    public mutating func double(in low: Double, _ high: Double) -> Double {
        let u = nextUnit()
        if !(high > low) { return low }
        let x = low + (high - low) * u
        // Rounding in the affine map can land exactly on `high`; keep the bound open.
        return x < high ? x : high.nextDown
    }

    /// A fair coin flip, taken from the top bit (the best-mixed one).
    public mutating func bool() -> Bool {
        next() >> 63 == 1
    }

    /// Derive an independent generator for a sub-task (e.g. per model index) deterministically.
    ///
    /// The parent is not advanced, so splitting is order-independent: the child for
    /// a given salt is the same no matter which other children were derived first.
    public func split(_ salt: UInt64) -> SeededRNG {
        // Fold the whole state and the salt through the SplitMix64 finalizer so that
        // nearby salts and nearby parent states give unrelated seeds.
        var h = SplitMix64.mix(salt &+ 0x9E37_79B9_7F4A_7C15)
        for word in [s0, s1, s2, s3] {
            h = SplitMix64.mix(h ^ word)
        }
        return SeededRNG(seed: h)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a Weyl sequence passed through a 64-bit finalizer.
///
/// Used to expand a single 64-bit seed into xoshiro's 256-bit state, as its authors recommend.
struct SplitMix64: Sendable {
    var state: UInt64

    /// Advances the counter by the golden-ratio increment and returns the mixed value.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output finalizer (a bijection on UInt64).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
