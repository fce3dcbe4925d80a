import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.5 * ((k * 7 + seed) % 11 - 5).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.5 * Double(($0 * 7 + seed) % 11 - 5) } }

/// Naive (M x K) @ (K x N) on row-major arrays.
private func matmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
    var out = Array(repeating: 0.0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { out[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return out
}

private func transpose(_ a: [Double], _ rows: Int, _ cols: Int) -> [Double] {
    (0..<(rows * cols)).map { a[($0 % rows) * cols + $0 / rows] }
}

/// MatMul and Gemm (Specs/linalg).
final class LinalgOpsTests: XCTestCase {
    func testMatMulByHand() throws {
        let a = t([2, 3], [1, 2, 3, 4, 5, 6]), b = t([3, 2], [7, 8, 9, 10, 11, 12])
        assertClose(try evalOp("MatMul", [a, b])[0], t([2, 2], [58, 64, 139, 154]))
    }

    func testMatMulBatchBroadcast() throws {
        // A [2, 1, 2, 3] against B [3, 3, 2]: batch [2, 1] x [3] -> [2, 3].
        let a = values(12, 1), b = values(18, 4)
        let y = try evalOp("MatMul", [t([2, 1, 2, 3], a, .f64), t([3, 3, 2], b, .f64)])[0]
        var expected: [Double] = []
        for i in 0..<2 {
            for j in 0..<3 {
                expected += matmul(Array(a[(i * 6)..<(i * 6 + 6)]), Array(b[(j * 6)..<(j * 6 + 6)]), 2, 3, 2)
            }
        }
        assertClose(y, t([2, 3, 2, 2], expected, .f64), rtol: 1e-12)
        // B without batch axes is shared by every batch of A.
        let z = try evalOp("MatMul", [t([2, 2, 3], a, .f64), t([3, 2], Array(b[0..<6]), .f64)])[0]
        let shared = matmul(Array(a[0..<6]), Array(b[0..<6]), 2, 3, 2) + matmul(Array(a[6..<12]), Array(b[0..<6]), 2, 3, 2)
        assertClose(z, t([2, 2, 2], shared, .f64), rtol: 1e-12)
    }

    func testMatMulVectors() throws {
        // 1-D @ 1-D: a dot product, a scalar.
        assertClose(try evalOp("MatMul", [t([3], [1, 2, 3]), t([3], [4, -5, 6])])[0], t([], [4 - 10 + 18]))
        // 1-D A is one row, dropped from Y: [2] @ [2, 3] -> [3].
        let m = t([2, 3], [1, 2, 3, 4, 5, 6])
        assertClose(try evalOp("MatMul", [t([2], [1, -1]), m])[0], t([3], [-3, -3, -3]))
        // 1-D B is one column, dropped from Y: [2, 3] @ [3] -> [2].
        assertClose(try evalOp("MatMul", [m, t([3], [1, 0, 2])])[0], t([2], [7, 16]))
        // With batches: [4] @ [2, 4, 1] -> [2, 1]; [2, 2, 3] @ [3] -> [2, 2].
        let a = values(4, 3), b = values(8, 6)
        let y = try evalOp("MatMul", [t([4], a, .f64), t([2, 4, 1], b, .f64)])[0]
        assertClose(y, t([2, 1], [matmul(a, Array(b[0..<4]), 1, 4, 1)[0], matmul(a, Array(b[4..<8]), 1, 4, 1)[0]], .f64), rtol: 1e-12)
        let c = values(12, 2), v = values(3, 9)
        let z = try evalOp("MatMul", [t([2, 2, 3], c, .f64), t([3], v, .f64)])[0]
        assertClose(z, t([2, 2], matmul(c, v, 4, 3, 1), .f64), rtol: 1e-12)
        // The contracted dims must agree; a scalar is not a matrix.
        XCTAssertThrowsError(try evalOp("MatMul", [t([3], [1, 2, 3]), t([2], [1, 2])]))
        XCTAssertThrowsError(try evalOp("MatMul", [t([], [1]), t([1], [1])]))
    }

    func testMatMulIntegersWrap() throws {
        let a = Tensor(dtype: .i32, shape: [1, 2], ints: [65536, 1]), b = Tensor(dtype: .i32, shape: [2, 1], ints: [65536, 5])
        // 2^32 + 5 wraps to 5 in i32.
        assertClose(try evalOp("MatMul", [a, b])[0], Tensor(dtype: .i32, shape: [1, 1], ints: [5]))
        let u = Tensor(dtype: .u64, shape: [2, 2], ints: [1, 2, 3, 4])
        assertClose(try evalOp("MatMul", [u, u])[0], Tensor(dtype: .u64, shape: [2, 2], ints: [7, 10, 15, 22]))
    }

    func testGemmDefaults() throws {
        // M = 2, K = 3, N = 4; C of shape [4] broadcasts over the rows.
        let a = values(6, 2), b = values(12, 5), c = [1.0, -1, 0.5, 2]
        let y = try evalOp("Gemm", [t([2, 3], a, .f64), t([3, 4], b, .f64), t([4], c, .f64)])[0]
        let ab = matmul(a, b, 2, 3, 4)
        assertClose(y, t([2, 4], (0..<8).map { ab[$0] + c[$0 % 4] }, .f64), rtol: 1e-12)
    }

    func testGemmTransposesAndScales() throws {
        // A stored as [K, M] = [3, 2] with transA, B stored as [N, K] = [4, 3] with transB; C is [M, 1].
        let at = values(6, 3), bt = values(12, 6), c = [3.0, -2]
        let attrs: [String: AttributeValue] = ["transA": .int(1), "transB": .int(1), "alpha": .real(0.5), "beta": .real(-2)]
        let y = try evalOp("Gemm", [t([3, 2], at, .f64), t([4, 3], bt, .f64), t([2, 1], c, .f64)], attrs)[0]
        let ab = matmul(transpose(at, 3, 2), transpose(bt, 4, 3), 2, 3, 4)
        assertClose(y, t([2, 4], (0..<8).map { 0.5 * ab[$0] - 2 * c[$0 / 4] }, .f64), rtol: 1e-12)
        // Scalar C, only transB.
        let b2 = values(12, 7)
        let z = try evalOp("Gemm", [t([2, 3], at, .f64), t([4, 3], b2, .f64), t([], [10], .f64)], ["transB": .int(1)])[0]
        let ab2 = matmul(at, transpose(b2, 4, 3), 2, 3, 4)
        assertClose(z, t([2, 4], ab2.map { $0 + 10 }, .f64), rtol: 1e-12)
        // Full [M, N] C with beta = 0 contributes nothing.
        let w = try evalOp("Gemm", [t([2, 3], at, .f64), t([3, 4], b2, .f64), t([2, 4], values(8, 1), .f64)], ["beta": .real(0)])[0]
        assertClose(w, t([2, 4], matmul(at, b2, 2, 3, 4), .f64), rtol: 1e-12)
    }

    func testGemmRejectsCThatWouldGrow() throws {
        // Y is [2, 1]; C [1, 3] broadcasts with it but only by growing it to [2, 3].
        XCTAssertThrowsError(try evalOp("Gemm", [t([2, 3], values(6)), t([3, 1], values(3)), t([1, 3], values(3))]))
        // C [3] with rank <= 2 but N = 4 does not broadcast at all.
        XCTAssertThrowsError(try evalOp("Gemm", [t([2, 3], values(6)), t([3, 4], values(12)), t([3], values(3))]))
    }

    func testGemmIntegers() throws {
        let a = Tensor(dtype: .i32, shape: [1, 2], ints: [2, 3]), b = Tensor(dtype: .i32, shape: [2, 1], ints: [4, 5])
        let c = Tensor(dtype: .i32, shape: [1], ints: [-1])
        assertClose(try evalOp("Gemm", [a, b, c])[0], Tensor(dtype: .i32, shape: [1, 1], ints: [22]))
    }
}
