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

    func testFractionalScaleUsesTheGivenScaleByHand() throws {
        // [1, 2, 3, 4, 5] by scale 0.75 (3 / 2^2): OS = floor(5 * 0.75) = 3, and the coordinate uses 0.75, not 3 / 5.
        let x = t([1, 5], [1, 2, 3, 4, 5], .f64)
        let scale: [String: AttributeValue] = ["scales": .ints([1, 3]), "scale_bits": .ints([0, 2])]
        // half_pixel: x = (o + 0.5) / 0.75 - 0.5 = 1/6, 3/2, 17/6, so linear gives 1 + x.
        let l = try evalOp("Resize", [x], scale.merging(["mode": .name("linear")]) { $1 })[0]
        assertClose(l, t([1, 3], [7.0 / 6, 2.5, 23.0 / 6], .f64), rtol: 1e-12)
        // The same output size from sizes means scale 3 / 5: x = (o + 0.5) * 5 / 3 - 0.5 = 1/3, 2, 11/3.
        let s = try evalOp("Resize", [x], ["sizes": .ints([1, 3]), "mode": .name("linear")])[0]
        assertClose(s, t([1, 3], [4.0 / 3, 3, 14.0 / 3], .f64), rtol: 1e-12)
        // Nearest asymmetric floor: x = o / 0.75 = 0, 4/3, 8/3 -> 0, 1, 2.
        let n = try evalOp("Resize", [x], scale.merging(["coordinate_transformation_mode": .name("asymmetric"),
                                                          "nearest_mode": .name("floor")]) { $1 })[0]
        assertClose(n, t([1, 3], [1, 2, 3], .f64))
        // Upsampling by 2.5 (5 / 2^1): OS = 5, asymmetric x = o / 2.5 = 0, 0.4, 0.8, 1.2, 1.6; floor -> 0, 0, 0, 1, 1.
        let u = try evalOp("Resize", [t([2], [10, 20], .f64)], ["scales": .ints([5]), "scale_bits": .ints([1]),
                                                                "coordinate_transformation_mode": .name("asymmetric"),
                                                                "nearest_mode": .name("floor")])[0]
        assertClose(u, t([5], [10, 10, 10, 20, 20], .f64))
    }

    func testHalfPixelSymmetricByHand() throws {
        // S = 5, scale 0.75: output_width 3.75, OS 3, adjustment 3 / 3.75 = 0.8, offset 2.5 * (1 - 0.8) = 0.5, so
        // x = 0.5 + (o + 0.5) / 0.75 - 0.5 = 2/3, 2, 10/3; linear on [1..5] gives 1 + x.
        let x = t([1, 5], [1, 2, 3, 4, 5], .f64)
        let y = try evalOp("Resize", [x], ["scales": .ints([1, 3]), "scale_bits": .ints([0, 2]), "mode": .name("linear"),
                                           "coordinate_transformation_mode": .name("half_pixel_symmetric")])[0]
        assertClose(y, t([1, 3], [5.0 / 3, 3, 13.0 / 3], .f64), rtol: 1e-12)
        // When S * scale is whole it is half_pixel: [1, 2] by 2 gives x = -0.25, 0.25, 0.75, 1.25 clamped.
        let w = try evalOp("Resize", [t([1, 2], [1, 2], .f64)], ["scales": .ints([1, 2]), "mode": .name("linear"),
                                                                 "coordinate_transformation_mode": .name("half_pixel_symmetric")])[0]
        assertClose(w, t([1, 4], [1, 1.25, 1.75, 2], .f64), rtol: 1e-12)
    }

    func testTfCropAndResizeByHand() throws {
        // X[r, c] = 10 r + c on [3, 5], so bilinear interpolation at (y, x) is 10 y + x. roi = [0.5, 0.25, 1, 1.25]
        // (starts, then ends) is roi / 2^roi_bits = [1/2, 1/4, 1/1, 5/4]. ONNX: x = start (S - 1) + o (end - start)
        // (S - 1) / (OS - 1), or (start + end) / 2 (S - 1) when OS = 1; outside [0, S - 1] the element is
        // extrapolation_value.
        let x = t([3, 5], (0..<15).map { Double(10 * ($0 / 5) + $0 % 5) }, .f64)
        let crop: [String: AttributeValue] = ["n_axes": .int(2), "axes": .ints([0, 1]), "mode": .name("linear"),
                                              "coordinate_transformation_mode": .name("tf_crop_and_resize"),
                                              "roi": .ints([1, 1, 1, 5]), "roi_bits": .ints([1, 2, 0, 2]),
                                              "extrapolation_value": .real(-1.5)]
        // Sizes [2, 3]: y = 0.5 * 2 + o * 0.5 * 2 / 1 = 1, 2; x = 0.25 * 4 + o * 1 * 4 / 2 = 1, 3, 5 (5 > 4: extrapolated).
        let y = try evalOp("Resize", [x], crop.merging(["sizes": .ints([2, 3])]) { $1 })[0]
        assertClose(y, t([2, 3], [11, 13, -1.5, 21, 23, -1.5], .f64), rtol: 1e-12)
        // Sizes [1, 3]: one output row, y = (0.5 + 1) / 2 * 2 = 1.5, so 15 + x.
        let r = try evalOp("Resize", [x], crop.merging(["sizes": .ints([1, 3])]) { $1 })[0]
        assertClose(r, t([1, 3], [16, 18, -1.5], .f64), rtol: 1e-12)
        // Nearest (round_prefer_floor) on [2, 4] (10 r + c) to [2, 2] with roi [0, 0.25, 1, 1.25]: y = 0, 1 and
        // x = 0.25 * 3 + o * 1 * 3 / 1 = 0.75 (rounds to 1), 3.75 (> 3: extrapolated).
        let n = try evalOp("Resize", [t([2, 4], [0, 1, 2, 3, 10, 11, 12, 13], .f64)],
                           crop.merging(["sizes": .ints([2, 2]), "mode": .name("nearest"), "roi": .ints([0, 1, 1, 5]),
                                         "roi_bits": .ints([0, 2, 0, 2])]) { $1 })[0]
        assertClose(n, t([2, 2], [1, -1.5, 11, -1.5], .f64))
        // An ONNX roi may start below 0: start -0.5 on axis 1 of [1, 5] with end 0.5 and 3 outputs gives
        // x = -2, 0, 2, so the first element is extrapolated.
        let e = try evalOp("Resize", [t([1, 5], [1, 2, 3, 4, 5], .f64)],
                           ["n_axes": .int(1), "axes": .ints([1]), "sizes": .ints([3]), "mode": .name("linear"),
                            "coordinate_transformation_mode": .name("tf_crop_and_resize"),
                            "roi": .ints([-1, 1]), "roi_bits": .ints([1, 1]), "extrapolation_value": .real(7)])[0]
        assertClose(e, t([1, 3], [7, 1, 3], .f64), rtol: 1e-12)
    }

    func testScaleInstancesAreCanonicalAndAgreeWithOnnxruntime() throws {
        let x = t([1, 5], [1, 2, 3, 4, 5], .f64)
        // 6 / 2^3 is 3 / 2^2: only the reduced form is an instance (one ONNX node, one instance).
        XCTAssertThrowsError(try evalOp("Resize", [x], ["scales": .ints([1, 6]), "scale_bits": .ints([0, 3])]))
        // align_corners where S * scale = 3.75 is not whole: ONNX's reference and onnxruntime differ, so refused.
        XCTAssertThrowsError(try evalOp("Resize", [x], ["scales": .ints([1, 3]), "scale_bits": .ints([0, 2]),
                                                        "coordinate_transformation_mode": .name("align_corners")]))
        // Scale 1.25 floors a length 3 back to 3: onnxruntime copies such an input, ONNX moves the coordinates; refused.
        XCTAssertThrowsError(try evalOp("Resize", [t([3, 1], [1, 2, 3], .f64)], ["scales": .ints([5, 1]), "scale_bits": .ints([2, 0])]))
        // With S = 4, S * 0.75 = 3 is whole and align_corners reads o * 3 / 2: [1, 2.5, 4].
        let a = try evalOp("Resize", [t([1, 4], [1, 2, 3, 4], .f64)], ["scales": .ints([1, 3]), "scale_bits": .ints([0, 2]), "mode": .name("linear"),
                                                                       "coordinate_transformation_mode": .name("align_corners")])[0]
        assertClose(a, t([1, 3], [1, 2.5, 4], .f64), rtol: 1e-12)
    }

    func testAxesListSomeAxesInTheirOrder() throws {
        // [2, 3] with axes [1, 0]: sizes [6, 4] give axis 1 length 6 and axis 0 length 4 (nearest half_pixel,
        // scale 2 on both: x = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, ... rounds to 0, 0, 1, 1, ...).
        let x = t([2, 3], [1, 2, 3, 4, 5, 6], .f64)
        let y = try evalOp("Resize", [x], ["n_axes": .int(2), "axes": .ints([1, 0]), "sizes": .ints([6, 4])])[0]
        assertClose(y, t([4, 6], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6], .f64))
        // Only axis 1 listed, scale 1/2 (1 / 2^1): axis 0 keeps its length; x = (o + 0.5) * 2 - 0.5 = 0.5 -> 0.
        let h = try evalOp("Resize", [x], ["n_axes": .int(1), "axes": .ints([1]), "scales": .ints([1]), "scale_bits": .ints([1])])[0]
        assertClose(h, t([2, 1], [1, 4], .f64))
    }

    func testKeepAspectRatioPolicyByHand() throws {
        // [2, 2] with sizes [7, 8]: not_larger takes min(7/2, 8/2) = 3.5 on both axes, output round(2 * 3.5) = 7 by 7;
        // not_smaller takes 4, output 8 by 8. Nearest asymmetric floor: x = o / 3.5, o / 4.
        let x = t([2, 2], [1, 2, 3, 4], .f64)
        let base: [String: AttributeValue] = ["sizes": .ints([7, 8]), "coordinate_transformation_mode": .name("asymmetric"),
                                              "nearest_mode": .name("floor")]
        let small = try evalOp("Resize", [x], base.merging(["keep_aspect_ratio_policy": .name("not_larger")]) { $1 })[0]
        // o / 3.5 for o = 0..6: 0, 0.29, 0.57, 0.86, 1.14, 1.43, 1.71 -> 0, 0, 0, 0, 1, 1, 1.
        let rows = [0, 0, 0, 0, 1, 1, 1]
        assertClose(small, t([7, 7], rows.flatMap { r in rows.map { c in Double(1 + 2 * r + c) } }, .f64))
        let large = try evalOp("Resize", [x], base.merging(["keep_aspect_ratio_policy": .name("not_smaller")]) { $1 })[0]
        let rows8 = [0, 0, 0, 0, 1, 1, 1, 1]
        assertClose(large, t([8, 8], rows8.flatMap { r in rows8.map { c in Double(1 + 2 * r + c) } }, .f64))
    }

    func testCubicByHand() throws {
        // [1, 2, 4, 8] upsampled by 2, asymmetric: x = o / 2. At t = 0.5 the kernel (a = -0.75) weighs the taps at
        // distances 1.5, 0.5, 0.5, 1.5 by 0.125 a = -0.09375 and ((a + 2) 0.5 - (a + 3)) 0.25 + 1 = 0.59375; taps past
        // the ends repeat the edge. x = 0.5: -0.09375 * 1 + 0.59375 * 1 + 0.59375 * 2 - 0.09375 * 4 = 1.3125;
        // x = 1.5: 2.71875; x = 2.5 (taps 2, 4, 8, 8): 6.1875; x = 3.5 (4, 8, 8, 8): 8.375.
        let x = t([1, 4], [1, 2, 4, 8], .f64)
        let base: [String: AttributeValue] = ["scales": .ints([1, 2]), "mode": .name("cubic"),
                                              "coordinate_transformation_mode": .name("asymmetric")]
        let y = try evalOp("Resize", [x], base)[0]
        assertClose(y, t([1, 8], [1, 1.3125, 2, 2.71875, 4, 6.1875, 8, 8.375], .f64), rtol: 1e-12)
        // exclude_outside drops taps outside the input and renormalises: x = 0.5 keeps taps 0, 1, 2,
        // (0.59375 * 1 + 0.59375 * 2 - 0.09375 * 4) / 1.09375 = 9 / 7; x = 3.5 keeps taps 2, 3,
        // (-0.09375 * 4 + 0.59375 * 8) / 0.5 = 8.75.
        let e = try evalOp("Resize", [x], base.merging(["exclude_outside": .int(1)]) { $1 })[0]
        XCTAssertEqual(e.double(at: 1), 9.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(e.double(at: 7), 8.75, accuracy: 1e-12)
        XCTAssertEqual(e.double(at: 2), 2, accuracy: 1e-12)
        // Cubic resizes only the last two axes: a scale on a leading axis of a rank-4 input is refused.
        XCTAssertThrowsError(try evalOp("Resize", [t([1, 2, 1, 1], [1, 2], .f64)], ["scales": .ints([1, 2, 1, 1]), "mode": .name("cubic")]))
    }

    func testAntialiasByHand() throws {
        // [1, 2, 4, 8] halved (scale 1 / 2^1), half_pixel: x = (o + 0.5) * 2 - 0.5 = 0.5, 2.5. Antialiased linear
        // stretches the triangle by 2: K(z) = max(1 - |j - x| / 2, 0) over taps j = -1..2 for x = 0.5 weighs
        // 0.25, 0.75, 0.75, 0.25 (sum 2), taps past the ends repeating the edge: (1 * 0.25 + 1 * 0.75 + 2 * 0.75
        // + 4 * 0.25) / 2 = 1.75; x = 2.5 reads 2, 4, 8, 8: (0.5 + 3 + 6 + 2) / 2 = 5.75.
        let x = t([1, 4], [1, 2, 4, 8], .f64)
        let y = try evalOp("Resize", [x], ["scales": .ints([1, 1]), "scale_bits": .ints([0, 1]), "mode": .name("linear"),
                                           "antialias": .int(1)])[0]
        assertClose(y, t([1, 2], [1.75, 5.75], .f64), rtol: 1e-12)
        // Without antialias the same resize reads only the two neighbours: 1.5 and 6.
        let plain = try evalOp("Resize", [x], ["scales": .ints([1, 1]), "scale_bits": .ints([0, 1]), "mode": .name("linear")])[0]
        assertClose(plain, t([1, 2], [1.5, 6], .f64), rtol: 1e-12)
        // Antialias means nothing for nearest; onnxruntime refuses it, and so does the spec.
        XCTAssertThrowsError(try evalOp("Resize", [x], ["scales": .ints([1, 1]), "scale_bits": .ints([0, 1]), "antialias": .int(1)]))
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
