import Backends
import Foundation
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import Oracle

/// A backend that computes f16 in f32 and keeps some roundings to f16 but not others, as onnxruntime does when an
/// f16 operator with a kernel (Add, rounded) feeds one without (kept in f32): `s = Add(x, b)` rounded to f16,
/// `t = Mul(s, s)` kept in f32, `c = Cast(t)` to f32. `scale` multiplies the result: 1 is the documented behaviour.
struct MixedRoundingBackend: Backend {
    var name = "mixed"
    var capabilities = BackendCapabilities(rounding: .own, isolation: .worker, computesAs: [.f16: .f32])
    var scale: Float = 1

    func prepare(_ model: Model) throws -> any PreparedModel {
        let full = model.nodes.count == 3, scale = self.scale
        return DeferredModel { inputs in
            let x = inputs["x"]!.doubles.map(Float.init), b = inputs["b"]!.doubles.map(Float.init)
            let s = zip(x, b).map { Float(Float16($0 + $1)) }
            guard full else { return [Tensor(dtype: .f16, shape: [s.count], doubles: s.map(Double.init))] }
            return [Tensor(dtype: .f32, shape: [s.count], doubles: s.map { Double($0 * $0 * scale) })]
        }
    }
}

/// An output wider than the narrow values it is computed from is judged, under a widening policy, at the narrow
/// dtype's tolerance: neither the reference (rounded after every operator) nor the widened one (rounded at the end)
/// is what a backend that keeps some roundings computes.
final class NarrowInputToleranceTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)
    let model = try! TextReader.read("""
        graphsmith-model 1
        input x: f16[2]
        input b: f16[2]
        node s: f16[2] = Add(x, b)
        node t: f16[2] = Mul(s, s)
        node c: f32[2] = Cast(t) {to = dtype(f32)}
        output c
        """)
    // Inputs whose s and t both round far from f16 values: the mixed result is 4e-4 (relative) from the reference
    // and 5e-4 from the widened reference, beyond f32's 1e-4 and well within f16's 1e-2.
    let inputs = ["x": Tensor(dtype: .f16, shape: [2], doubles: [0.53076171875, 0.0236968994140625]),
                  "b": Tensor(dtype: .f16, shape: [2], doubles: [1, 1])]

    func outcome(_ backend: MixedRoundingBackend) throws -> BackendRun {
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let named: [NamedBackend] = [(name: backend.name, backend: backend)]
        return oracle.runAll(named, model: model, inputs: inputs, reference: reference, expected: [reference["c"]!])[0]
    }

    func testMixedRoundingIsOutsideF32sToleranceOfBothReferences() throws {
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let got = try MixedRoundingBackend().prepare(model).execute(inputs)[0]
        XCTAssertFalse(Compare.allClose(actual: got, expected: reference["c"]!, tolerance: .default(for: .f32)).passed)
        let wide = try XCTUnwrap(WidenedReference(PrecisionPolicy(computesAs: [.f16: .f32])).outputs(model, library: specLibrary, inputs: inputs))
        XCTAssertFalse(Compare.allClose(actual: got, expected: wide[0], tolerance: .default(for: .f32)).passed)
    }

    func testAnF32OutputOfF16ValuesIsJudgedAtF16sTolerance() throws {
        let run = try outcome(MixedRoundingBackend())
        XCTAssertEqual(run.triage, .precisionPolicy, run.message)
        XCTAssertEqual(run.verdict, .pass)
    }

    func testAWrongResultBeyondF16sToleranceStaysWrong() throws {
        XCTAssertEqual(try outcome(MixedRoundingBackend(scale: 1.05)).triage, .wrongResult)
    }

    func testTheToleranceIsTheNarrowInputsOnlyWhenWider() {
        let wide = WidenedReference(PrecisionPolicy(computesAs: [.f16: .f32]))
        XCTAssertEqual(wide.inputTolerance(of: "c", in: model), .default(for: .f16))
        XCTAssertNil(wide.inputTolerance(of: "t", in: model), "an f16 output has f16's tolerance already")
        XCTAssertNil(WidenedReference(.exact).inputTolerance(of: "c", in: model))
    }
}
