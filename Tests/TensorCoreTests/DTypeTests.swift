import XCTest
@testable import TensorCore

final class DTypeTests: XCTestCase {
    func testBitWidths() {
        let expected: [DType: Int] = [
            .f16: 16, .bf16: 16, .f32: 32, .f64: 64, .i8: 8, .i16: 16, .i32: 32, .i64: 64,
            .u8: 8, .u16: 16, .u32: 32, .u64: 64, .bool: 8,
        ]
        for dtype in DType.allCases {
            XCTAssertEqual(dtype.bitWidth, expected[dtype], "\(dtype)")
        }
    }

    func testClassificationIsAPartition() {
        for dtype in DType.allCases {
            let kinds = [dtype.isFloat, dtype.isSignedInteger, dtype.isUnsignedInteger, dtype.isBool]
            XCTAssertEqual(kinds.filter { $0 }.count, 1, "\(dtype)")
            XCTAssertEqual(dtype.isInteger, dtype.isSignedInteger || dtype.isUnsignedInteger)
        }
        XCTAssertEqual(DType.floats, [.f16, .bf16, .f32, .f64])
        XCTAssertEqual(DType.integers.count, 8)
        XCTAssertTrue(DType.signedIntegers.allSatisfy(\.isSignedInteger))
        XCTAssertTrue(DType.unsignedIntegers.allSatisfy(\.isUnsignedInteger))
    }

    func testNamesRoundTrip() throws {
        for dtype in DType.allCases {
            XCTAssertEqual(DType(name: dtype.description), dtype)
        }
        XCTAssertEqual(DType.bf16.description, "bf16")
        XCTAssertNil(DType(name: "float32"))
        let data = try JSONEncoder().encode([DType.f32, .bool])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"f32\",\"bool\"]")
        XCTAssertEqual(try JSONDecoder().decode([DType].self, from: data), [.f32, .bool])
    }

    func testScalarConversions() {
        XCTAssertEqual(Scalar.float(-2.7).asInt64, -2)
        XCTAssertEqual(Scalar.float(.nan).asInt64, 0)
        XCTAssertEqual(Scalar.float(1e30).asInt64, Int64.max)
        XCTAssertEqual(Scalar.float(-1e30).asInt64, Int64.min)
        XCTAssertEqual(Scalar.uint(UInt64.max).asInt64, Int64.max)
        XCTAssertEqual(Scalar.bool(true).asInt64, 1)
        XCTAssertEqual(Scalar.bool(true).asDouble, 1)
        XCTAssertEqual(Scalar.int(-5).asDouble, -5)
        XCTAssertTrue(Scalar.float(.nan).isTrue)
        XCTAssertFalse(Scalar.float(-0.0).isTrue)
        XCTAssertFalse(Scalar.uint(0).isTrue)
        XCTAssertEqual(Scalar.int(-3).description, "-3")
        XCTAssertEqual(Scalar.bool(false).description, "false")
    }
}
