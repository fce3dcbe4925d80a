import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// BitwiseAnd/Or/Xor/Not and BitShift (Specs/bitwise), against Swift's own bit operators on the
/// fixed-width integer types.
final class BitwiseOpsTests: XCTestCase {
    private func tensor(_ v: [Int64], _ d: DType, _ shape: [Int]? = nil) -> Tensor {
        Tensor(dtype: d, shape: shape ?? [v.count], ints: v)
    }

    /// Every pair of `values` through `op`, against `f` on the Swift type `I`.
    private func checkPairs<I: FixedWidthInteger>(_ op: String, _ type: I.Type, _ d: DType, _ values: [I],
                                                  file: StaticString = #filePath, line: UInt = #line, _ f: (I, I) -> I) throws {
        let a = values.flatMap { x in values.map { _ in x } }, b = values.flatMap { _ in values }
        let c = try evalOp(op, [tensor(a.map(Int64.init), d), tensor(b.map(Int64.init), d)], file: file, line: line)[0]
        assertClose(c, tensor(zip(a, b).map { Int64(f($0, $1)) }, d), file: file, line: line)
    }

    func testAndOrXorSigned() throws {
        let i8: [Int8] = [-128, -77, -1, 0, 1, 5, 100, 127]
        try checkPairs("BitwiseAnd", Int8.self, .i8, i8) { $0 & $1 }
        try checkPairs("BitwiseOr", Int8.self, .i8, i8) { $0 | $1 }
        try checkPairs("BitwiseXor", Int8.self, .i8, i8) { $0 ^ $1 }
        let i32: [Int32] = [.min, -123_456_789, -2, 0, 3, 0x5555_5555, .max]
        try checkPairs("BitwiseAnd", Int32.self, .i32, i32) { $0 & $1 }
        try checkPairs("BitwiseOr", Int32.self, .i32, i32) { $0 | $1 }
        try checkPairs("BitwiseXor", Int32.self, .i32, i32) { $0 ^ $1 }
    }

    func testAndOrXorUnsigned() throws {
        let u8: [UInt8] = [0, 1, 0x0F, 0x80, 0xAA, 0xFF]
        try checkPairs("BitwiseAnd", UInt8.self, .u8, u8) { $0 & $1 }
        try checkPairs("BitwiseOr", UInt8.self, .u8, u8) { $0 | $1 }
        try checkPairs("BitwiseXor", UInt8.self, .u8, u8) { $0 ^ $1 }
        let u32: [UInt32] = [0, 7, 0x8000_0000, 0xDEAD_BEEF, .max]
        try checkPairs("BitwiseXor", UInt32.self, .u32, u32) { $0 ^ $1 }
        // Broadcasting: [2, 2] & [2].
        let c = try evalOp("BitwiseAnd", [tensor([12, 10, 255, 1], .u16, [2, 2]), tensor([6, 3], .u16)])[0]
        assertClose(c, tensor([4, 2, 6, 1], .u16, [2, 2]))
    }

    func testAndOrXor64Bits() throws {
        let u64: [UInt64] = [0, 3, 1 << 63, (1 << 63) | 5, .max, 0xF0F0_0000_FFFF_1234]
        let a = u64.flatMap { x in u64.map { _ in x } }, b = u64.flatMap { _ in u64 }
        let ta = Tensor(dtype: .u64, shape: [a.count], scalars: a.map { .uint($0) })
        let tb = Tensor(dtype: .u64, shape: [b.count], scalars: b.map { .uint($0) })
        for (op, f) in [("BitwiseAnd", { (x: UInt64, y: UInt64) in x & y }), ("BitwiseOr", { $0 | $1 }), ("BitwiseXor", { $0 ^ $1 })] {
            let expected = Tensor(dtype: .u64, shape: [a.count], scalars: zip(a, b).map { .uint(f($0, $1)) })
            assertClose(try evalOp(op, [ta, tb])[0], expected)
        }
        try checkPairs("BitwiseAnd", Int64.self, .i64, [.min, -3, 0, 12, .max]) { $0 & $1 }
        try checkPairs("BitwiseXor", Int64.self, .i64, [.min, -3, 0, 12, .max]) { $0 ^ $1 }
    }

    func testNot() throws {
        let i16: [Int16] = [.min, -1, 0, 1, 12345, .max]
        assertClose(try evalOp("BitwiseNot", [tensor(i16.map(Int64.init), .i16)])[0], tensor(i16.map { Int64(~$0) }, .i16))
        // ~x = -x - 1 for signed; 255 - x for u8.
        assertClose(try evalOp("BitwiseNot", [tensor([0, 1, 0x7F, 0xFF], .u8)])[0], tensor([255, 254, 0x80, 0], .u8))
        assertClose(try evalOp("BitwiseNot", [tensor([0, 0xFFFF_FFFF], .u32)])[0], tensor([0xFFFF_FFFF, 0], .u32))
        // 64 bits: the top bit of u64 (values past 2^63) and of i64.
        let u64: [UInt64] = [0, 1, 1 << 63, .max, 0x0123_4567_89AB_CDEF]
        let xu = Tensor(dtype: .u64, shape: [u64.count], scalars: u64.map { .uint($0) })
        assertClose(try evalOp("BitwiseNot", [xu])[0], Tensor(dtype: .u64, shape: [u64.count], scalars: u64.map { .uint(~$0) }))
        let i64: [Int64] = [.min, -1, 0, .max, -0x0123_4567_89AB_CDEF]
        assertClose(try evalOp("BitwiseNot", [tensor(i64, .i64)])[0], tensor(i64.map { ~$0 }, .i64))
    }

    func testShiftLeftWrapsAndRightFloors() throws {
        let left: [String: AttributeValue] = ["direction": .name("LEFT")], right: [String: AttributeValue] = ["direction": .name("RIGHT")]
        // u8: bits past the top are lost: 0xC3 << 2 = 0x0C.
        assertClose(try evalOp("BitShift", [tensor([1, 0xC3, 16], .u8), tensor([7, 2, 3], .u8)], left)[0], tensor([128, 0x0C, 128], .u8))
        assertClose(try evalOp("BitShift", [tensor([255, 16, 1], .u8), tensor([4, 4, 1], .u8)], right)[0], tensor([15, 1, 0], .u8))
        // Signed: left moves bits through the sign (64 << 1 = -128 in i8), right is arithmetic (floors).
        let i8: [Int8] = [-128, -7, -1, 1, 64, 127]
        for s in 0..<8 {
            let x = tensor(i8.map(Int64.init), .i8), y = tensor(i8.map { _ in Int64(s) }, .i8)
            assertClose(try evalOp("BitShift", [x, y], left)[0], tensor(i8.map { Int64($0 << Int8(s)) }, .i8))
            assertClose(try evalOp("BitShift", [x, y], right)[0], tensor(i8.map { Int64($0 >> Int8(s)) }, .i8))
        }
    }

    func testShift64Bits() throws {
        let x: [Int64] = [.min, -12345, -1, 1, 0x4000_0000_0000_0001, .max]
        for s: Int64 in [0, 1, 31, 62, 63] {
            let tx = tensor(x, .i64), ty = tensor(x.map { _ in s }, .i64)
            assertClose(try evalOp("BitShift", [tx, ty], ["direction": .name("LEFT")])[0], tensor(x.map { $0 << s }, .i64))
            assertClose(try evalOp("BitShift", [tx, ty], ["direction": .name("RIGHT")])[0], tensor(x.map { $0 >> s }, .i64))
            let u = x.map { UInt64(bitPattern: $0) }
            let tu = Tensor(dtype: .u64, shape: [u.count], scalars: u.map { .uint($0) })
            let tv = Tensor(dtype: .u64, shape: [u.count], scalars: u.map { _ in .uint(UInt64(s)) })
            assertClose(try evalOp("BitShift", [tu, tv], ["direction": .name("LEFT")])[0],
                        Tensor(dtype: .u64, shape: [u.count], scalars: u.map { .uint($0 << UInt64(s)) }))
            assertClose(try evalOp("BitShift", [tu, tv], ["direction": .name("RIGHT")])[0],
                        Tensor(dtype: .u64, shape: [u.count], scalars: u.map { .uint($0 >> UInt64(s)) }))
        }
    }

    /// Wrapping is how the specs build their results (cast to T), never an integer overflow: full-range values
    /// (u64 past 2^63, the lowest i64) give valid tests.
    func testFullRangeValuesReportNoOverflow() throws {
        let u = Tensor(dtype: .u64, shape: [3], scalars: [.uint(1 << 63), .uint(.max), .uint(5)])
        let i = tensor([.min, -1, .max], .i64)
        let shifts: [(String, [String: AttributeValue])] = [("LEFT", ["direction": .name("LEFT")]), ("RIGHT", ["direction": .name("RIGHT")])]
        for x in [u, i] {
            let y = Tensor(dtype: x.dtype, shape: [3], ints: [1, 63, 0])
            for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"] {
                XCTAssertNil(try overflowFound(op, [x, x.dtype == .u64 ? u : i]), "\(op) \(x.dtype)")
            }
            XCTAssertNil(try overflowFound("BitwiseNot", [x]), "BitwiseNot \(x.dtype)")
            for (name, attrs) in shifts { XCTAssertNil(try overflowFound("BitShift", [x, y], attrs), "\(name) \(x.dtype)") }
        }
    }

    private func overflowFound(_ op: String, _ inputs: [Tensor], _ attrs: [String: AttributeValue] = [:]) throws -> String? {
        let spec = try XCTUnwrap(try sharedLibrary.get().spec(named: op))
        let instance = try spec.instantiate(inputs: inputs.map(\.type), attributes: attrs)
        return try OpEvaluation.evaluateReportingOverflow(instance, inputs: inputs).1
    }

    func testShiftOutsideTheWidth() throws {
        // ONNX 28: a negative shift or one >= the width gives the sign fill: -1 for RIGHT of a negative X, else 0.
        let x = tensor([-5, 5, -5, 5], .i32), y = tensor([32, 40, -1, -3], .i32)
        assertClose(try evalOp("BitShift", [x, y], ["direction": .name("RIGHT")])[0], tensor([-1, 0, -1, 0], .i32))
        assertClose(try evalOp("BitShift", [x, y], ["direction": .name("LEFT")])[0], tensor([0, 0, 0, 0], .i32))
        assertClose(try evalOp("BitShift", [tensor([200], .u8), tensor([8], .u8)], ["direction": .name("LEFT")])[0], tensor([0], .u8))
    }
}
