import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// CastLike converts X to the dtype of its second input, whose shape and values play no part.
final class CastLikeTests: XCTestCase {
    func testConvertsToTheDtypeOfLikeWithXsShape() throws {
        let x = t([2, 2], [2.7, -2.7, 0, 0.4])
        // Like's shape [3] and values are unrelated to the result.
        let likeI32 = Tensor(dtype: .i32, shape: [3], ints: [9, 9, 9])
        assertClose(try evalOp("CastLike", [x, likeI32])[0], Tensor(dtype: .i32, shape: [2, 2], ints: [2, -2, 0, 0]))
        let likeBool = Tensor(dtype: .bool, shape: [], scalars: [.bool(false)])
        assertClose(try evalOp("CastLike", [x, likeBool])[0],
                    Tensor(dtype: .bool, shape: [2, 2], scalars: [.bool(true), .bool(true), .bool(false), .bool(true)]))
        // i32 -> u8 wraps; f64 -> f32 rounds once.
        let i = Tensor(dtype: .i32, shape: [3], ints: [300, -1, 255])
        assertClose(try evalOp("CastLike", [i, Tensor(dtype: .u8, shape: [1, 1], ints: [0])])[0], Tensor(dtype: .u8, shape: [3], ints: [44, 255, 255]))
        let y = try evalOp("CastLike", [t([1], [0.1], .f64), t([5], [1, 2, 3, 4, 5])])[0]
        XCTAssertEqual(y.dtype, .f32)
        XCTAssertEqual(y.doubles, [Double(Float(0.1))])
    }
}
