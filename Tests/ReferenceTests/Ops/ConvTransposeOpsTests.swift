import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// Distinct small values: 0.25 * ((k * 7 + seed) % 9 - 4).
private func values(_ n: Int, _ seed: Int = 0) -> [Double] { (0..<n).map { 0.25 * Double(($0 * 7 + seed) % 9 - 4) } }

/// Naive 1-D transposed convolution by scattering: every input element adds x * w[r] at position
/// i * stride - padBegin + r * dilation of every output channel of its group.
private func convTranspose1d(_ x: [Double], n: Int, c: Int, len: Int, _ w: [Double], kg: Int, k: Int, bias: [Double],
                             stride: Int, dilation: Int, pads: (Int, Int), outputPadding: Int, group: Int) -> (Int, [Double]) {
    let outLen = stride * (len - 1) + outputPadding + dilation * (k - 1) + 1 - pads.0 - pads.1
    let channels = kg * group, cg = c / group
    var y = [Double](repeating: 0, count: n * channels * outLen)
    for b in 0..<n {
        for oc in 0..<channels { for o in 0..<outLen { y[(b * channels + oc) * outLen + o] = bias[oc] } }
        for ic in 0..<c {
            let g = ic / cg
            for i in 0..<len {
                for m in 0..<kg {
                    for r in 0..<k {
                        let o = i * stride - pads.0 + r * dilation
                        guard o >= 0 && o < outLen else { continue }
                        y[(b * channels + g * kg + m) * outLen + o] += x[(b * c + ic) * len + i] * w[(ic * kg + m) * k + r]
                    }
                }
            }
        }
    }
    return (outLen, y)
}

/// ConvTranspose (Specs/conv).
final class ConvTransposeOpsTests: XCTestCase {
    func testConvTranspose1dByHand() throws {
        // x = [1, 2], w = [1, 10, 100], stride 2: [1, 10, 100 + 2, 20, 200], plus bias 0.5.
        let y = try evalOp("ConvTranspose", [t([1, 1, 2], [1, 2], .f64), t([1, 1, 3], [1, 10, 100], .f64), t([1], [0.5], .f64)],
                           ["strides": .ints([2])])[0]
        assertClose(y, t([1, 1, 5], [1.5, 10.5, 102.5, 20.5, 200.5], .f64))
        // The same with pads [1, 1] (crops one element each side) and output_padding 1 (one more at the end).
        let z = try evalOp("ConvTranspose", [t([1, 1, 2], [1, 2], .f64), t([1, 1, 3], [1, 10, 100], .f64), t([1], [0], .f64)],
                           ["strides": .ints([2]), "pads": .ints([1, 1]), "output_padding": .ints([1])])[0]
        assertClose(z, t([1, 1, 4], [10, 102, 20, 200], .f64))
    }

    func testConvTranspose1dAgainstScatter() throws {
        let cases: [(n: Int, c: Int, len: Int, kg: Int, k: Int, stride: Int, dilation: Int, pads: (Int, Int), op: Int, group: Int)] = [
            (1, 2, 4, 3, 3, 1, 1, (0, 0), 0, 1),
            (2, 2, 3, 1, 2, 2, 1, (1, 0), 1, 2),
            (1, 4, 3, 2, 3, 3, 2, (2, 1), 2, 2),
            (1, 3, 5, 1, 2, 2, 2, (0, 2), 1, 3),
        ]
        for s in cases {
            let x = values(s.n * s.c * s.len, 1), w = values(s.c * s.kg * s.k, 4), bias = values(s.kg * s.group, 2)
            let (outLen, expected) = convTranspose1d(x, n: s.n, c: s.c, len: s.len, w, kg: s.kg, k: s.k, bias: bias, stride: s.stride,
                                                     dilation: s.dilation, pads: s.pads, outputPadding: s.op, group: s.group)
            let y = try evalOp("ConvTranspose", [t([s.n, s.c, s.len], x, .f64), t([s.c, s.kg, s.k], w, .f64), t([s.kg * s.group], bias, .f64)],
                               ["strides": .ints([s.stride]), "dilations": .ints([s.dilation]), "pads": .ints([s.pads.0, s.pads.1]),
                                "output_padding": .ints([s.op]), "group": .int(s.group)])[0]
            assertClose(y, t([s.n, s.kg * s.group, outLen], expected, .f64), rtol: 1e-12)
        }
    }

    func testConvTranspose2dIsSeparableForOuterProductKernels() throws {
        // A 2-D kernel w[r][s] = a[r] * b[s] on a 2-D input x[i][j] = u[i] * v[j] gives the outer
        // product of the two 1-D transposed convolutions (one channel, no bias).
        let u = [1.0, -2], v = [0.5, 3, 1], a = [1.0, 2], b = [-1.0, 1, 2]
        let x = u.flatMap { ui in v.map { ui * $0 } }, w = a.flatMap { ar in b.map { ar * $0 } }
        let (rows, ry) = convTranspose1d(u, n: 1, c: 1, len: 2, a, kg: 1, k: 2, bias: [0], stride: 2, dilation: 1, pads: (0, 1),
                                         outputPadding: 1, group: 1)
        let (cols, cy) = convTranspose1d(v, n: 1, c: 1, len: 3, b, kg: 1, k: 3, bias: [0], stride: 1, dilation: 2, pads: (1, 0),
                                         outputPadding: 0, group: 1)
        let y = try evalOp("ConvTranspose", [t([1, 1, 2, 3], x, .f64), t([1, 1, 2, 3], w, .f64), t([1], [0], .f64)],
                           ["strides": .ints([2, 1]), "dilations": .ints([1, 2]), "pads": .ints([0, 1, 1, 0]), "output_padding": .ints([1, 0])])[0]
        assertClose(y, t([1, 1, rows, cols], ry.flatMap { r in cy.map { r * $0 } }, .f64), rtol: 1e-12)
    }
}
