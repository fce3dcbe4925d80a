import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// IsNaN, IsInf and CastLike (Specs/logic, Specs/unary), on values chosen by hand.
final class LogicOpsTests2: XCTestCase {
    private let special = t([6], [-.infinity, -1.5, 0, .nan, 2, .infinity], .f64)

    private func bools(_ v: [Int64]) -> Tensor { Tensor(dtype: .bool, shape: [v.count], ints: v) }

    func testIsNaN() throws {
        assertClose(try evalOp("IsNaN", [special])[0], bools([0, 0, 0, 1, 0, 0]))
        assertClose(try evalOp("IsNaN", [t([2], [.nan, 1], .f16)])[0], bools([1, 0]))
    }

    func testIsInfDetectFlags() throws {
        assertClose(try evalOp("IsInf", [special])[0], bools([1, 0, 0, 0, 0, 1]))
        assertClose(try evalOp("IsInf", [special], ["detect_positive": .int(0)])[0], bools([1, 0, 0, 0, 0, 0]))
        assertClose(try evalOp("IsInf", [special], ["detect_negative": .int(0)])[0], bools([0, 0, 0, 0, 0, 1]))
        assertClose(try evalOp("IsInf", [special], ["detect_negative": .int(0), "detect_positive": .int(0)])[0], bools([0, 0, 0, 0, 0, 0]))
    }

    func testCastLikeTakesOnlyTheDtype() throws {
        let x = t([4], [-2.7, -0.5, 1.9, 300], .f64)
        // Like of shape [0]: only its dtype counts; floats truncate toward zero.
        let like = Tensor(dtype: .i32, shape: [0], ints: [])
        assertClose(try evalOp("CastLike", [x, like])[0], Tensor(dtype: .i32, shape: [4], ints: [-2, 0, 1, 300]))
        // To f16: 300 is exact, 1.9 rounds to the nearest f16 (1.900390625).
        let h = try evalOp("CastLike", [x, t([2, 2], [0, 0, 0, 0], .f16)])[0]
        XCTAssertEqual(h.dtype, .f16)
        XCTAssertEqual(h.doubles[2], 1.900390625)
        XCTAssertEqual(h.doubles[3], 300)
        // Integers wrap: 300 to u8 is 44; anything to bool is X != 0.
        let i = Tensor(dtype: .i32, shape: [3], ints: [300, -1, 0])
        assertClose(try evalOp("CastLike", [i, Tensor(dtype: .u8, shape: [], ints: [0])])[0], Tensor(dtype: .u8, shape: [3], ints: [44, 255, 0]))
        assertClose(try evalOp("CastLike", [i, Tensor(dtype: .bool, shape: [1], ints: [0])])[0], bools([1, 1, 0]))
    }
}
