import Foundation
import SpecLib
import TensorCore
import XCTest
@testable import Reference

/// The input coordinate of output index `o` along an axis of length `n` resized to `m`, by ONNX's
/// formulas with scale = m / n.
private func coordinate(_ o: Int, _ n: Int, _ m: Int, mode: String) -> Double {
    let scale = Double(m) / Double(n), x = Double(o)
    switch mode {
    case "asymmetric": return x / scale
    case "align_corners": return m == 1 ? 0 : x * Double(n - 1) / Double(m - 1)
    case "pytorch_half_pixel": return m > 1 ? (x + 0.5) / scale - 0.5 : 0
    default: return (x + 0.5) / scale - 0.5
    }
}

/// ONNX's nearest rounding of `x`, clamped to [0, n - 1].
private func nearestIndex(_ x: Double, _ n: Int, rounding: String) -> Int {
    let r: Double
    switch rounding {
    case "floor": r = x.rounded(.down)
    case "ceil": r = x.rounded(.up)
    case "round_prefer_ceil": r = x - x.rounded(.down) == 0.5 ? x.rounded(.up) : x.rounded()
    default: r = x - x.rounded(.down) == 0.5 ? x.rounded(.down) : x.rounded()
    }
    return min(max(Int(r), 0), n - 1)
}

/// The two neighbours and the weight of the second for linear interpolation at `x`.
private func linearTaps(_ x: Double, _ n: Int) -> (Int, Int, Double) {
    let c = min(max(x, 0), Double(n - 1)), lo = Int(c.rounded(.down))
    return (lo, min(lo + 1, n - 1), c - Double(lo))
}

/// Resize of a 2-D [h, w] plane to [oh, ow], nearest or bilinear, written axis by axis.
private func resize2d(_ x: [Double], _ h: Int, _ w: Int, _ oh: Int, _ ow: Int, linear: Bool, mode: String, rounding: String) -> [Double] {
    var out: [Double] = []
    for i in 0..<oh {
        for j in 0..<ow {
            let yi = coordinate(i, h, oh, mode: mode), xj = coordinate(j, w, ow, mode: mode)
            if linear {
                let (r0, r1, fr) = linearTaps(yi, h), (c0, c1, fc) = linearTaps(xj, w)
                let top = x[r0 * w + c0] * (1 - fc) + x[r0 * w + c1] * fc, bottom = x[r1 * w + c0] * (1 - fc) + x[r1 * w + c1] * fc
                out.append(top * (1 - fr) + bottom * fr)
            } else {
                out.append(x[nearestIndex(yi, h, rounding: rounding) * w + nearestIndex(xj, w, rounding: rounding)])
            }
        }
    }
    return out
}

/// Resize and Upsample (Specs/resize).
final class ResizeOpsTests: XCTestCase {
    private let modes = ["half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"]
    private let roundings = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]

    func testNearestUpsampleByTwoByHand() throws {
        // [1, 2] -> 4, asymmetric: x = o / 2 = 0, 0.5, 1, 1.5; round_prefer_floor keeps halves down.
        let x = t([2], [1, 2], .f64)
        let y = try evalOp("Resize", [x], ["sizes": .ints([4]), "coordinate_transformation_mode": .name("asymmetric")])[0]
        assertClose(y, t([4], [1, 1, 2, 2], .f64))
        let c = try evalOp("Resize", [x], ["sizes": .ints([4]), "coordinate_transformation_mode": .name("asymmetric"),
                                           "nearest_mode": .name("round_prefer_ceil")])[0]
        assertClose(c, t([4], [1, 2, 2, 2], .f64))
        // Linear half_pixel: x = -0.25, 0.25, 0.75, 1.25 clamped to [0, 1].
        let l = try evalOp("Resize", [t([1, 2], [1, 2], .f64)], ["scales": .ints([1, 2]), "mode": .name("linear")])[0]
        assertClose(l, t([1, 4], [1, 1.25, 1.75, 2], .f64), rtol: 1e-12)
    }

    func testNearestAgainstFormulas() throws {
        // Output lengths whose scale is a multiple of 1/8 (the spec's condition for nearest).
        let x = (0..<8).map { Double($0 * $0 % 7) - 3 }
        for (oh, ow) in [(8, 6), (2, 3), (3, 1), (5, 7)] {
            for mode in modes {
                for rounding in roundings {
                    let y = try evalOp("Resize", [t([1, 1, 4, 2], x, .f64)], ["sizes": .ints([1, 1, oh, ow]), "nearest_mode": .name(rounding),
                                                                             "coordinate_transformation_mode": .name(mode)])[0]
                    let expected = resize2d(x, 4, 2, oh, ow, linear: false, mode: mode, rounding: rounding)
                    assertClose(y, t([1, 1, oh, ow], expected, .f64))
                }
            }
        }
    }

    func testLinearAgainstFormulas() throws {
        let x = (0..<12).map { Double($0 * 5 % 11) - 4 }
        for (oh, ow) in [(5, 7), (2, 3), (1, 1), (6, 8)] {
            for mode in modes {
                let y = try evalOp("Resize", [t([1, 1, 3, 4], x, .f64)], ["sizes": .ints([1, 1, oh, ow]), "mode": .name("linear"),
                                                                         "coordinate_transformation_mode": .name(mode)])[0]
                assertClose(y, t([1, 1, oh, ow], resize2d(x, 3, 4, oh, ow, linear: true, mode: mode, rounding: ""), .f64), rtol: 1e-12)
            }
        }
    }

    func testWholeScalesMatchSizes() throws {
        // scales [1, 1, 2, 3] and sizes [1, 1, 4, 6] give the same output for a [1, 1, 2, 2] input.
        let x = t([1, 1, 2, 2], [1, -2, 3, 0.5], .f64)
        for mode in ["nearest", "linear"] {
            let a = try evalOp("Resize", [x], ["scales": .ints([1, 1, 2, 3]), "mode": .name(mode)])[0]
            let b = try evalOp("Resize", [x], ["sizes": .ints([1, 1, 4, 6]), "mode": .name(mode)])[0]
            XCTAssertEqual(a.shape, [1, 1, 4, 6])
            assertClose(a, b)
        }
    }

    func testUpsample() throws {
        // Nearest repeats each element scales times along its axis.
        let x = t([2, 2], [1, 2, 3, 4], .f64)
        let y = try evalOp("Upsample", [x], ["scales": .ints([2, 3])])[0]
        assertClose(y, t([4, 6], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4], .f64))
        // Linear, asymmetric x = o / 2 with the last element repeated: [1, 1.5, 2, 2] per row.
        let l = try evalOp("Upsample", [t([1, 2], [1, 2], .f64)], ["scales": .ints([1, 2]), "mode": .name("linear")])[0]
        assertClose(l, t([1, 4], [1, 1.5, 2, 2], .f64), rtol: 1e-12)
        // Linear Upsample is Resize with asymmetric coordinates.
        let p = (0..<6).map { Double($0 * 3 % 5) }
        let u = try evalOp("Upsample", [t([1, 1, 2, 3], p, .f64)], ["scales": .ints([1, 1, 3, 2]), "mode": .name("linear")])[0]
        assertClose(u, t([1, 1, 6, 6], resize2d(p, 2, 3, 6, 6, linear: true, mode: "asymmetric", rounding: ""), .f64), rtol: 1e-12)
    }
}
