import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

private func ints(_ shape: [Int], _ v: [Int64], _ d: DType = .i64) -> Tensor { Tensor(dtype: d, shape: shape, ints: v) }
/// 0, 1, 2, ... as f32 of the given shape.
private func iota(_ shape: [Int]) -> Tensor { t(shape, (0..<shape.reduce(1, *)).map(Double.init)) }

/// Shape, Size (Specs/layout), Det (Specs/linalg) and the Einsum forms (Specs/einsum).
final class ShapeOpsTests: XCTestCase {
    func testShape() throws {
        let x = iota([3, 4, 5])
        func shape(_ a: [String: AttributeValue] = [:]) throws -> Tensor { try evalOp("Shape", [x], a)[0] }
        assertClose(try shape(), ints([3], [3, 4, 5]))
        assertClose(try shape(["start": .int(1)]), ints([2], [4, 5]))
        assertClose(try shape(["end": .int(-1)]), ints([2], [3, 4]))
        assertClose(try shape(["start": .int(-1)]), ints([1], [5]))
        assertClose(try shape(["start": .int(1), "end": .int(2)]), ints([1], [4]))
        // Out-of-range bounds clamp; start past end gives an empty vector.
        assertClose(try shape(["start": .int(-10), "end": .int(10)]), ints([3], [3, 4, 5]))
        assertClose(try shape(["start": .int(2), "end": .int(1)]), ints([0], []))
        assertClose(try evalOp("Shape", [t([], [1])])[0], ints([0], []))
    }

    func testSize() throws {
        assertClose(try evalOp("Size", [iota([3, 4, 5])])[0], ints([], [60]))
        assertClose(try evalOp("Size", [t([], [7])])[0], ints([], [1]))
        assertClose(try evalOp("Size", [t([2, 0], [])])[0], ints([], [0]))
    }

    func testDet() throws {
        // 1 * 4 - 2 * 3.
        assertClose(try evalOp("Det", [t([2, 2], [1, 2, 3, 4])])[0], t([], [-2]))
        // Cofactors along row 0: 2 * (3 * 2 - 2 * 1) - 0 + 1 * (1 * 1 - 3 * 1) = 6.
        assertClose(try evalOp("Det", [t([3, 3], [2, 0, 1, 1, 3, 2, 1, 1, 2], .f64)])[0], t([], [6], .f64))
        // Triangular 4x4: the diagonal's product 24; swapping rows 0 and 1 flips the sign.
        let u: [Double] = [1, 2, 3, 4, 0, 2, 5, 6, 0, 0, 3, 7, 0, 0, 0, 4]
        assertClose(try evalOp("Det", [t([4, 4], u)])[0], t([], [24]))
        let swapped = Array(u[4..<8] + u[0..<4] + u[8..<16])
        assertClose(try evalOp("Det", [t([4, 4], swapped)])[0], t([], [-24]))
        // A batch of two, and a 1x1.
        assertClose(try evalOp("Det", [t([2, 2, 2], [1, 2, 3, 4, 2, 0, 0, 3])])[0], t([2], [-2, 6]))
        assertClose(try evalOp("Det", [t([1, 1], [5])])[0], t([], [5]))
        // Singular: equal rows.
        assertClose(try evalOp("Det", [t([3, 3], [1, 2, 3, 1, 2, 3, 4, 5, 6])])[0], t([], [0]))
        XCTAssertThrowsError(try evalOp("Det", [iota([5, 5])]))
    }

    func testEinsumProducts() throws {
        let a = t([2, 2], [1, 2, 3, 4]), b = t([2, 2], [5, 6, 7, 8])
        // [[1*5 + 2*7, 1*6 + 2*8], [3*5 + 4*7, 3*6 + 4*8]].
        assertClose(try evalOp("EinsumMatMul", [a, b])[0], t([2, 2], [19, 22, 43, 50]))
        // Batch: the pair above, then the identity times b.
        let ba = t([2, 2, 2], [1, 2, 3, 4, 1, 0, 0, 1]), bb = t([2, 2, 2], [5, 6, 7, 8, 5, 6, 7, 8])
        assertClose(try evalOp("EinsumBatchMatMul", [ba, bb])[0], t([2, 2, 2], [19, 22, 43, 50, 5, 6, 7, 8]))
        // 1*4 + 2*5 + 3*6, in integers.
        assertClose(try evalOp("EinsumInner", [ints([3], [1, 2, 3]), ints([3], [4, 5, 6])])[0], ints([], [32]))
        XCTAssertThrowsError(try evalOp("EinsumInner", [t([3], [1, 2, 3]), t([2], [1, 2])]))
    }

    func testEinsumUnaryForms() throws {
        let x = iota([2, 3])
        assertClose(try evalOp("EinsumTranspose", [x])[0], t([3, 2], [0, 3, 1, 4, 2, 5]))
        assertClose(try evalOp("EinsumSum", [x])[0], t([2], [3, 12]))
        // Diagonals of two 3x3 blocks of 0..17: 0, 4, 8 and 9, 13, 17.
        assertClose(try evalOp("EinsumDiagonal", [iota([2, 3, 3])])[0], t([2, 3], [0, 4, 8, 9, 13, 17]))
        assertClose(try evalOp("EinsumDiagonal", [iota([2, 2])])[0], t([2], [0, 3]))
        assertClose(try evalOp("EinsumScalar", [t([], [2.5], .f64)])[0], t([], [2.5], .f64))
    }
}
