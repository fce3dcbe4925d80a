import XCTest
@testable import TensorCore

final class TensorTests: XCTestCase {
    func testTensorTypeBasics() {
        XCTAssertEqual(TensorType(.f32, [2, 3]).description, "f32[2, 3]")
        XCTAssertEqual(TensorType(.f32, []).description, "f32[]")
        XCTAssertEqual(TensorType(.i8, []).count, 1)
        XCTAssertEqual(TensorType(.i8, [4, 0, 2]).count, 0)
        XCTAssertEqual(TensorType(.bf16, [2, 3, 4]).rank, 3)
        XCTAssertEqual(TensorType(.bf16, [2, 3, 4]).count, 24)
    }

    func testStrides() {
        XCTAssertEqual(Tensor.strides(of: [2, 3, 4]), [12, 4, 1])
        XCTAssertEqual(Tensor.strides(of: [5]), [1])
        XCTAssertEqual(Tensor.strides(of: []), [])
        XCTAssertEqual(Tensor.strides(of: [3, 0, 2]), [0, 2, 1])
    }

    func testInitializersAndAccessors() {
        let t = Tensor(dtype: .f16, shape: [2, 2], doubles: [1, 0.1, -2, 65520])
        XCTAssertEqual(t.bits, [0x3C00, 0x2E66, 0xC000, 0x7C00])
        XCTAssertEqual(t.count, 4)
        XCTAssertEqual(t.type, TensorType(.f16, [2, 2]))
        XCTAssertEqual(t.double(at: 1), 0.0999755859375)
        XCTAssertEqual(t.doubles[3], .infinity)

        let ints = Tensor(dtype: .i8, shape: [3], ints: [1, -1, 200])
        XCTAssertEqual(ints.bits, [0x01, 0xFF, 0xC8])
        XCTAssertEqual(ints.scalars, [.int(1), .int(-1), .int(-56)])

        let mixed = Tensor(dtype: .u16, shape: [], scalars: [.float(3.9)])
        XCTAssertEqual(mixed.scalar(at: 0), .uint(3))
        XCTAssertEqual(mixed.count, 1)

        // High bits beyond the dtype width are cleared, so equality stays bit-exact.
        let raw = Tensor(dtype: .i8, shape: [1], bits: [UInt64(bitPattern: -1)])
        XCTAssertEqual(raw, Tensor(dtype: .i8, shape: [1], ints: [-1]))
    }

    func testZerosAndEquality() {
        for dtype in DType.allCases {
            let z = Tensor.zeros(TensorType(dtype, [2, 3]))
            XCTAssertEqual(z.count, 6)
            XCTAssertTrue(z.scalars.allSatisfy { !$0.isTrue }, "\(dtype)")
        }
        let nan1 = Tensor(dtype: .f32, shape: [1], doubles: [.nan])
        let nan2 = Tensor(dtype: .f32, shape: [1], doubles: [.nan])
        XCTAssertEqual(nan1, nan2)
        XCTAssertNotEqual(
            Tensor(dtype: .f32, shape: [1], doubles: [0.0]), Tensor(dtype: .f32, shape: [1], doubles: [-0.0]))
        XCTAssertNotEqual(Tensor.zeros(TensorType(.f32, [2])), Tensor.zeros(TensorType(.f32, [1, 2])))
    }

    func testRandomIsDeterministicAndInRange() {
        let type = TensorType(.f32, [64, 16])
        var a = SeededRNG(seed: 99)
        var b = SeededRNG(seed: 99)
        XCTAssertEqual(Tensor.random(type, using: &a), Tensor.random(type, using: &b))

        var rng = SeededRNG(seed: 1)
        for dtype in DType.floats {
            let t = Tensor.random(TensorType(dtype, [1000]), using: &rng, low: -3, high: 5)
            XCTAssertTrue(t.doubles.allSatisfy { $0 >= -3 && $0 <= 5 }, "\(dtype)")
            XCTAssertEqual(t.doubles, t.doubles.map { ElementCodec.round($0, to: dtype) })
        }
        for dtype in DType.integers {
            let t = Tensor.random(TensorType(dtype, [2000]), using: &rng, low: -3, high: 3)
            let values = Set(t.scalars.map(\.asInt64))
            let expected: Set<Int64> = dtype.isSignedInteger ? Set(-3...3) : Set(0...3)
            XCTAssertEqual(values, expected, "\(dtype)")
        }
        let wide = Tensor.random(TensorType(.i8, [2000]), using: &rng, low: -1000, high: 1000)
        XCTAssertEqual(Set(wide.scalars.map(\.asInt64)).count, 256)
        let empty = Tensor.random(TensorType(.u8, [10]), using: &rng, low: -10, high: -5)
        XCTAssertTrue(empty.bits.allSatisfy { $0 == 0 })
        let bools = Tensor.random(TensorType(.bool, [200]), using: &rng)
        XCTAssertEqual(Set(bools.bits), [0, 1])
    }
}
