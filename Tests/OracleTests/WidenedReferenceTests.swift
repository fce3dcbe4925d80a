import Backends
import Foundation
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import Oracle

/// A backend that computes f16 in f32, as OpenVINO's CPU plugin documents: `s = Add(x, b)` then `d = Sub(s, b)`,
/// worked out here with Swift's `Float` and rounded to f16 once, at the end (for the whole model and for the cut
/// model the localizer runs, which ends at the Add). `scale` multiplies the final result: 1 is the documented
/// behaviour, anything else a wrong result.
struct F32InsideBackend: Backend {
    var name = "wide"
    var capabilities: BackendCapabilities
    var scale: Float = 1

    func prepare(_ model: Model) throws -> any PreparedModel {
        let endsAtSub = model.nodes.last?.op == "Sub", scale = self.scale
        return DeferredModel { inputs in
            let x = inputs["x"]!.doubles.map(Float.init), b = inputs["b"]!.doubles.map(Float.init)
            let values = zip(x, b).map { x, b in endsAtSub ? ((x + b) - b) * scale : x + b }
            return [Tensor(dtype: .f16, shape: [values.count], doubles: values.map(Double.init))]
        }
    }
}

/// A narrow float computed wide is judged against the reference computed wide: what the backend documents is
/// `precision-policy`, a wrong result stays one.
final class WidenedReferenceTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)
    // In f16, 0.01 + 1000 rounds to 1000 (f16's spacing there is 0.5), so the reference's d is 0; in f32 it is 0.01.
    let model = try! TextReader.read("""
        graphsmith-model 1
        input x: f16[2]
        input b: f16[2]
        node s: f16[2] = Add(x, b)
        node d: f16[2] = Sub(s, b)
        output d
        """)
    let inputs = ["x": Tensor(dtype: .f16, shape: [2], doubles: [0.01, 0.25]),
                  "b": Tensor(dtype: .f16, shape: [2], doubles: [1000, 1])]

    func outcome(_ backend: F32InsideBackend) throws -> BackendRun {
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        XCTAssertEqual(reference["d"]!.doubles, [0, 0.25], "the reference rounds s to f16")
        let named: [NamedBackend] = [(name: backend.name, backend: backend)]
        return oracle.runAll(named, model: model, inputs: inputs, reference: reference, expected: [reference["d"]!])[0]
    }

    func declaring(_ computesAs: [DType: DType], scale: Float = 1) -> F32InsideBackend {
        F32InsideBackend(capabilities: BackendCapabilities(rounding: .own, isolation: .worker, computesAs: computesAs), scale: scale)
    }

    func testF16ComputedInF32AsDeclaredIsPrecisionPolicy() throws {
        let run = try outcome(declaring([.f16: .f32]))
        XCTAssertEqual(run.triage, .precisionPolicy, run.message)
        XCTAssertEqual(run.verdict, .pass)
        XCTAssertTrue(run.message.contains("f16 as f32"), run.message)
    }

    func testTheSameWithoutTheDeclarationIsAWrongResult() throws {
        XCTAssertEqual(try outcome(declaring([:])).triage, .wrongResult)
    }

    func testAWrongResultOfAWideningBackendStaysWrong() throws {
        XCTAssertEqual(try outcome(declaring([.f16: .f32], scale: 1.5)).triage, .wrongResult)
    }

    func testTheWidenedModelHoldsF32AndCastsToIt() throws {
        let cast = try TextReader.read("""
            graphsmith-model 1
            input x: f32[2]
            node h: f16[2] = Cast(x) {to = dtype(f16)}
            node y: f16[2] = Neg(h)
            output y
            """)
        let wide = WidenedReference(PrecisionPolicy(computesAs: [.f16: .f32, .f64: .f32]))
        XCTAssertEqual(wide.widening, [.f16: .f32], "f64 as f32 narrows; it is not a widening")
        let m = wide.widened(cast)
        XCTAssertEqual(m.nodes[0].attributes["to"], .dtype(.f32))
        XCTAssertEqual(m.valueTypes["y"]?.dtype, .f32)
        // 1/3 kept in f32 through the Cast, rounded to f16 only at the output.
        let got = try XCTUnwrap(wide.outputs(cast, library: specLibrary, inputs: ["x": Tensor(dtype: .f32, shape: [2], doubles: [1.0 / 3, 2])]))
        XCTAssertEqual(got[0].dtype, .f16)
        XCTAssertEqual(got[0].doubles, [Double(-Float16(Float(1.0 / 3))), -2])
    }
}
