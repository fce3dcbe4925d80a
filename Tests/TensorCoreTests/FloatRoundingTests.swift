import XCTest
@testable import TensorCore

final class FloatRoundingTests: XCTestCase {
    private func bits(_ x: Double, _ dtype: DType) -> UInt64 {
        ElementCodec.bits(of: .float(x), as: dtype)
    }

    func testF16HandWorkedPatterns() {
        let cases: [(Double, UInt64)] = [
            (1.0, 0x3C00), (-2.0, 0xC000), (0.1, 0x2E66), (0.0, 0x0000), (-0.0, 0x8000),
            (65504, 0x7BFF), (65519.99, 0x7BFF), (65520, 0x7C00), (-65520, 0xFC00), (1e10, 0x7C00),
            (.infinity, 0x7C00), (-.infinity, 0xFC00),
            (0x1p-24, 0x0001),                  // smallest subnormal
            (0x1p-25, 0x0000),                  // tie between 0 and 2^-24: even is 0
            (0x1.000002p-25, 0x0001),           // just above the tie
            (0x3p-25, 0x0002),                  // tie between 1 and 2 subnormal units: even is 2
            (0x1p-14, 0x0400),                  // smallest normal
            (0x1p-14 - 0x1p-24, 0x03FF),        // largest subnormal
            (0x1p-14 - 0x1p-25, 0x0400),        // tie from the odd largest subnormal carries into normal
            (-2.5e-8, 0x8000),                  // underflow keeps the sign
            (1 + 0x1p-11, 0x3C00),              // tie, even stays
            (1 + 0x3p-11, 0x3C02),              // tie, odd rounds up
            (2 - 0x1p-11, 0x4000),              // tie carries into the exponent
        ]
        for (x, expected) in cases {
            XCTAssertEqual(bits(x, .f16), expected, "f16(\(x))")
        }
    }

    func testNoDoubleRounding() {
        // Via f32 these would first lose the 2^-40 and then hit an exact tie.
        XCTAssertEqual(bits(1 + 0x1p-11 + 0x1p-40, .f16), 0x3C01)
        XCTAssertEqual(bits(1 + 0x1p-8 + 0x1p-40, .bf16), 0x3F81)
        // Via Double, 2^60 + 2^36 + 1 would become 2^60 + 2^36, an exact f32 tie.
        let big = Int64(1) << 60 + Int64(1) << 36 + 1
        XCTAssertEqual(ElementCodec.bits(of: .int(big), as: .f32), 0x5D80_0001)
        XCTAssertEqual(ElementCodec.bits(of: .int(-big), as: .f32), 0xDD80_0001)
    }

    func testBF16HandWorkedPatterns() {
        let cases: [(Double, UInt64)] = [
            (1.0, 0x3F80), (-2.0, 0xC000), (3.140625, 0x4049), (Double.pi, 0x4049),
            (1 + 0x1p-8, 0x3F80), (1 + 0x3p-8, 0x3F82),
            (0x1.FEp127, 0x7F7F),               // largest finite
            (0x1.FFp127, 0x7F80),               // tie above it, odd mantissa: rounds to inf
            (Double(Float.greatestFiniteMagnitude), 0x7F80),
            (0x1p-133, 0x0001),                 // smallest subnormal
            (-0x1p-126, 0x8080),
        ]
        for (x, expected) in cases {
            XCTAssertEqual(bits(x, .bf16), expected, "bf16(\(x))")
        }
        XCTAssertEqual(bits(.nan, .bf16), 0x7FC0)
    }

    func testF32HandWorkedPatterns() {
        XCTAssertEqual(bits(1.0, .f32), 0x3F80_0000)
        XCTAssertEqual(bits(Double(Float.greatestFiniteMagnitude), .f32), 0x7F7F_FFFF)
        XCTAssertEqual(bits(0x1.FFFFFFp127, .f32), 0x7F80_0000)   // tie above max: inf
        XCTAssertEqual(bits(0x1p-149, .f32), 0x0000_0001)
        XCTAssertEqual(bits(0x1p-150, .f32), 0x0000_0000)
        XCTAssertEqual(bits(0x1.8p-150, .f32), 0x0000_0001)
        XCTAssertEqual(bits(Double.leastNonzeroMagnitude, .f32), 0)
        XCTAssertEqual(bits(-Double.leastNonzeroMagnitude, .f16), 0x8000)
        XCTAssertEqual(bits(Double.greatestFiniteMagnitude, .f32), 0x7F80_0000)
        XCTAssertEqual(bits(.nan, .f32), 0x7FC0_0000)
        XCTAssertEqual(bits(-.nan, .f32), 0xFFC0_0000)
    }

    func testNaNStaysNaN() {
        for dtype in DType.floats {
            let signaling = Double(bitPattern: 0x7FF0_0000_0000_0001)   // payload below the narrow mantissa
            for x in [Double.nan, -Double.nan, signaling] {
                XCTAssertTrue(ElementCodec.round(x, to: dtype).isNaN, "\(dtype)")
                XCTAssertTrue(ElementCodec.scalar(bits: bits(x, dtype), dtype: dtype).asDouble.isNaN)
            }
        }
    }

    func testRoundValues() {
        XCTAssertEqual(ElementCodec.round(0.1, to: .f16), 0.0999755859375)
        XCTAssertEqual(ElementCodec.round(65520, to: .f16), .infinity)
        XCTAssertEqual(ElementCodec.round(1e-8, to: .f16), 0)
        XCTAssertEqual(ElementCodec.round(0.1, to: .f32), Double(Float(0.1)))
        XCTAssertEqual(ElementCodec.round(0.1, to: .f64), 0.1)
        XCTAssertEqual(ElementCodec.round(0.1, to: .bf16), 0.10009765625)
        XCTAssertEqual(ElementCodec.round(-0.0, to: .f16).sign, .minus)
    }

    func testDecodePatterns() {
        XCTAssertEqual(ElementCodec.scalar(bits: 0x7C00, dtype: .f16), .float(.infinity))
        XCTAssertEqual(ElementCodec.scalar(bits: 0xFC00, dtype: .f16), .float(-.infinity))
        XCTAssertEqual(ElementCodec.scalar(bits: 0x0001, dtype: .f16), .float(0x1p-24))
        XCTAssertEqual(ElementCodec.scalar(bits: 0x3555, dtype: .f16), .float(0.333251953125))
        XCTAssertEqual(ElementCodec.scalar(bits: 0x0001, dtype: .bf16), .float(0x1p-133))
        XCTAssertEqual(ElementCodec.scalar(bits: 0x8000_0001, dtype: .f32), .float(-0x1p-149))
    }

    /// Random doubles across all binades, checked against the compiler's own conversions.
    func testAgreesWithNativeConversions() {
        var rng = SeededRNG(seed: 42)
        for _ in 0..<200_000 {
            // Sample exponents near the interesting ranges by building the Double bits directly.
            let exponent = UInt64(rng.int(in: 1023 - 160...1023 + 140))
            let raw = (rng.next() & 0x800F_FFFF_FFFF_FFFF) | (exponent << 52)
            var x = Double(bitPattern: raw)
            if rng.int(in: 0...7) == 0 {
                // Force exact ties and near-ties by clearing a random number of low mantissa bits.
                let cut = UInt64(rng.int(in: 20...50))
                x = Double(bitPattern: raw & ~((UInt64(1) << cut) - 1) | UInt64(rng.int(in: 0...1)))
            }
            XCTAssertEqual(bits(x, .f32), UInt64(Float(x).bitPattern), "\(x)")
            #if !(os(macOS) && arch(x86_64))
            XCTAssertEqual(bits(x, .f16), UInt64(Float16(x).bitPattern), "\(x)")
            #endif
        }
    }
}
