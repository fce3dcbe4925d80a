/// The C helpers every generated file starts with: the scalar semantics of `ScalarSemantics`, written in C
/// (wrapping integers, checked division, NaN-propagating max/min, round-to-format casts).
enum CPrelude {
    /// The prelude, rounding to float16/bfloat16 with `rounding`.
    static func source(rounding: HalfRounding) -> String {
        #"""
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline int64_t gs_f2i(double x) {
    if (isnan(x)) return 0;
    if (x >= 9223372036854775807.0) return INT64_MAX;
    if (x <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)x;
}
static inline int64_t gs_idiv(int64_t a, int64_t b, int *err) {
    if (b == 0) { *err = 1; return 0; }
    if (a == INT64_MIN && b == -1) return INT64_MIN;
    return a / b;
}
static inline int64_t gs_idiv_lldiv(int64_t a, int64_t b, int *err) {
    if (b == 0) { *err = 1; return 0; }
    if (a == INT64_MIN && b == -1) return INT64_MIN;
    return (int64_t)lldiv((long long)a, (long long)b).quot;
}
static inline int64_t gs_imod(int64_t a, int64_t b, int *err) {
    if (b == 0) { *err = 1; return 0; }
    if (a == INT64_MIN && b == -1) return 0;
    return a % b;
}
static inline uint64_t gs_udiv(uint64_t a, uint64_t b, int *err) { if (b == 0) { *err = 1; return 0; } return a / b; }
static inline uint64_t gs_umod(uint64_t a, uint64_t b, int *err) { if (b == 0) { *err = 1; return 0; } return a % b; }
static inline double gs_maxf(double a, double b) { if (isnan(a)) return a; if (isnan(b)) return b; return a >= b ? a : b; }
static inline double gs_minf(double a, double b) { if (isnan(a)) return a; if (isnan(b)) return b; return a <= b ? a : b; }
static inline int64_t gs_maxi(int64_t a, int64_t b) { return a >= b ? a : b; }
static inline int64_t gs_mini(int64_t a, int64_t b) { return a <= b ? a : b; }
static inline uint64_t gs_maxu(uint64_t a, uint64_t b) { return a >= b ? a : b; }
static inline uint64_t gs_minu(uint64_t a, uint64_t b) { return a <= b ? a : b; }
static inline int64_t gs_absi(int64_t a) { return a == INT64_MIN ? a : (a < 0 ? -a : a); }
static inline double gs_signf(double a) { return isnan(a) ? a : (a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0)); }
static inline int64_t gs_signi(int64_t a) { return a > 0 ? 1 : (a < 0 ? -1 : 0); }
/* Bit shifts on the 64-bit pattern; a count beyond 63 (a negative one read unsigned) shifts every bit out. */
static inline uint64_t gs_shl(uint64_t a, uint64_t n) { return n > 63 ? 0 : a << n; }
static inline uint64_t gs_shru(uint64_t a, uint64_t n) { return n > 63 ? 0 : a >> n; }
static inline int64_t gs_shri(int64_t a, uint64_t n) {
    if (n > 63) n = 63;
    return a < 0 ? ~(~a >> n) : a >> n;
}
static inline double gs_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
static inline int64_t gs_powi(int64_t base, int64_t e) {
    if (e < 0) return base == 1 ? 1 : (base == -1 ? (e % 2 == 0 ? 1 : -1) : 0);
    uint64_t r = 1, b = (uint64_t)base;
    while (e > 0) { if (e & 1) r *= b; b *= b; e >>= 1; }
    return (int64_t)r;
}
/* Round to a binary format with p fraction bits and exponents emin..emax (to nearest even, unless a fault is injected). */
static inline double gs_round_fmt(double x, int p, int emin, int emax) {
    if (isnan(x) || isinf(x) || x == 0) return x;
    int e; frexp(x, &e); e -= 1;
    if (e < emin) e = emin;
    double q = ldexp(1.0, e - p);
    double r = \#(rounding.implementation)(x / q) * q;
    if (fabs(r) >= ldexp(2.0, emax)) return copysign(INFINITY, x);
    return r;
}
/* Float to an integer dtype: toward zero, NaN 0, saturating at the dtype's range. */
static inline int64_t gs_f2int(double x, double lo, double hi) {
    if (isnan(x)) return 0;
    if (x <= lo) return (int64_t)lo;
    if (x >= hi) return (int64_t)hi;
    return (int64_t)x;
}
static inline uint64_t gs_f2uint(double x, double hi) {
    if (isnan(x) || x <= 0) return 0;
    if (x >= hi) return hi >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)hi;
    return (uint64_t)x;
}
"""#
    }
}

/// The C function that rounds a quotient to an integer in the prelude's float16/bfloat16 rounding.
public typealias HalfRounding = Variant<String>

extension Variant where Implementation == String {
    /// To nearest, ties to even (the current rounding mode): IEEE rounding, as `ElementCodec` rounds.
    public static var nearestEven: HalfRounding { Variant("nearest-even", "nearbyint") }
    /// Faulty: toward zero.
    public static var towardZero: HalfRounding { Variant("toward-zero", "trunc") }
    /// The general path (`emit-half-rounding` off): `rint`, to nearest even in the default rounding mode.
    public static var rint: HalfRounding { Variant("rint", "rint") }
}
