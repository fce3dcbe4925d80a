import XCTest
@testable import TensorCore

final class IntegerCodecTests: XCTestCase {
    private func cast(_ value: Scalar, _ dtype: DType) -> Scalar {
        ElementCodec.scalar(bits: ElementCodec.bits(of: value, as: dtype), dtype: dtype)
    }

    func testIntegerWrapping() {
        XCTAssertEqual(ElementCodec.bits(of: .int(300), as: .u8), 44)
        XCTAssertEqual(cast(.int(300), .u8), .uint(44))
        XCTAssertEqual(ElementCodec.bits(of: .int(-1), as: .u16), 65535)
        XCTAssertEqual(cast(.int(-1), .u16), .uint(65535))
        XCTAssertEqual(ElementCodec.bits(of: .int(128), as: .i8), 0x80)
        XCTAssertEqual(cast(.int(128), .i8), .int(-128))
        XCTAssertEqual(cast(.int(-129), .i8), .int(127))
        XCTAssertEqual(cast(.int(Int64(Int32.max) + 1), .i32), .int(Int64(Int32.min)))
        XCTAssertEqual(cast(.uint(UInt64.max), .i64), .int(-1))
        XCTAssertEqual(cast(.int(-1), .u64), .uint(UInt64.max))
        XCTAssertEqual(cast(.uint(0x1_0000_0005), .u32), .uint(5))
        XCTAssertEqual(cast(.bool(true), .i16), .int(1))
    }

    func testFloatToIntegerCasts() {
        XCTAssertEqual(cast(.float(2.7), .i32), .int(2))
        XCTAssertEqual(cast(.float(-2.7), .i32), .int(-2))
        XCTAssertEqual(ElementCodec.bits(of: .float(-2.7), as: .i32), 0xFFFF_FFFE)
        XCTAssertEqual(cast(.float(.nan), .i32), .int(0))
        XCTAssertEqual(cast(.float(.nan), .u8), .uint(0))
        XCTAssertEqual(cast(.float(1e20), .i32), .int(Int64(Int32.max)))
        XCTAssertEqual(cast(.float(-1e20), .i32), .int(Int64(Int32.min)))
        XCTAssertEqual(cast(.float(.infinity), .i8), .int(127))
        XCTAssertEqual(cast(.float(-.infinity), .i8), .int(-128))
        XCTAssertEqual(cast(.float(256), .u8), .uint(255))          // saturates, does not wrap
        XCTAssertEqual(cast(.float(255.9), .u8), .uint(255))
        XCTAssertEqual(cast(.float(-0.9), .u8), .uint(0))
        XCTAssertEqual(cast(.float(-1e20), .u8), .uint(0))
        XCTAssertEqual(cast(.float(1e20), .u64), .uint(UInt64.max))
        XCTAssertEqual(cast(.float(0x1p63), .i64), .int(Int64.max))
        XCTAssertEqual(cast(.float(-0x1p63), .i64), .int(Int64.min))
        XCTAssertEqual(cast(.float(0x1.FFFFFFFFFFFFFp62), .i64), .int(0x7FFF_FFFF_FFFF_FC00))
        XCTAssertEqual(cast(.float(0x1.FFFFFFFFFFFFFp63), .u64), .uint(0xFFFF_FFFF_FFFF_F800))
    }

    func testBoolCasts() {
        XCTAssertEqual(ElementCodec.bits(of: .float(0.5), as: .bool), 1)
        XCTAssertEqual(ElementCodec.bits(of: .float(-0.0), as: .bool), 0)
        XCTAssertEqual(ElementCodec.bits(of: .float(.nan), as: .bool), 1)
        XCTAssertEqual(ElementCodec.bits(of: .int(-7), as: .bool), 1)
        XCTAssertEqual(ElementCodec.bits(of: .uint(0), as: .bool), 0)
        XCTAssertEqual(ElementCodec.scalar(bits: 1, dtype: .bool), .bool(true))
        XCTAssertEqual(ElementCodec.scalar(bits: 0, dtype: .bool), .bool(false))
    }

    func testIntegerToFloatCasts() {
        XCTAssertEqual(ElementCodec.bits(of: .int(3), as: .f16), 0x4200)
        XCTAssertEqual(ElementCodec.bits(of: .int(-3), as: .bf16), 0xC040)
        XCTAssertEqual(ElementCodec.bits(of: .int(70000), as: .f16), 0x7C00)
        XCTAssertEqual(ElementCodec.bits(of: .uint(UInt64.max), as: .f32), 0x5F80_0000)
        XCTAssertEqual(ElementCodec.bits(of: .int(Int64.min), as: .f64), (-0x1p63 as Double).bitPattern)
        XCTAssertEqual(ElementCodec.bits(of: .int((1 << 53) + 1), as: .f64), (0x1p53 as Double).bitPattern)
        XCTAssertEqual(ElementCodec.bits(of: .int((1 << 53) + 3), as: .f64), (0x1p53 + 4 as Double).bitPattern)
        XCTAssertEqual(ElementCodec.bits(of: .bool(true), as: .f32), 0x3F80_0000)
        XCTAssertEqual(ElementCodec.bits(of: .int(0), as: .f16), 0)
    }

    func testRoundTripEveryDType() {
        var rng = SeededRNG(seed: 7)
        for dtype in DType.allCases {
            var patterns: [UInt64]
            if dtype.isBool {
                patterns = [0, 1]
            } else if dtype.bitWidth <= 16 {
                patterns = (0..<(UInt64(1) << UInt64(dtype.bitWidth))).map { $0 }
            } else {
                patterns = (0..<50_000).map { _ in rng.next() & dtype.bitMask }
            }
            for pattern in patterns {
                let value = ElementCodec.scalar(bits: pattern, dtype: dtype)
                if case .float(let d) = value, d.isNaN, !isQuietNaN(pattern, dtype) {
                    // Conversions quiet signaling NaNs, as hardware does; they stay NaN.
                    XCTAssertTrue(ElementCodec.scalar(bits: ElementCodec.bits(of: value, as: dtype), dtype: dtype)
                        .asDouble.isNaN)
                    continue
                }
                XCTAssertEqual(ElementCodec.bits(of: value, as: dtype), pattern, "\(dtype) \(pattern)")
            }
        }
    }

    private func isQuietNaN(_ pattern: UInt64, _ dtype: DType) -> Bool {
        let mantissaBits = FloatFormat.of(dtype)!.mantissaBits
        return pattern & (UInt64(1) << UInt64(mantissaBits - 1)) != 0
    }
}
