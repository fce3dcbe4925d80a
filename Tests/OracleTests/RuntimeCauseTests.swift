import Backends
import ModelIR
import Reference
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Oracle

/// A wrong result of an outside backend (no passes to switch off) is keyed by its first wrong operator, that value's
/// type family and the backends that failed, not by the operator's class alone: two different kernel bugs of one
/// runtime in one class are two findings.
final class RuntimeCauseTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)

    /// Runs on the reference, but every output of an `op` node is off by one (and so is everything after it).
    struct WrongAt: Backend {
        var op: String
        var name: String { "runtime" }
        var capabilities: BackendCapabilities { BackendCapabilities(rounding: .reference, isolation: .inProcess) }
        func prepare(_ model: Model) throws -> any PreparedModel {
            let op = op
            return DeferredModel { inputs in
                try CulpritTests.outputs(model, inputs) { node, t in
                    node.op == op ? Tensor(dtype: t.dtype, shape: t.shape, doubles: t.doubles.map { $0 + 1 }) : t
                }
            }
        }
    }

    /// `x -> first -> second`, of `dtype`, judged on a backend wrong at `wrongAt` under the names `names`.
    func judged(_ first: String, _ second: String, dtype: DType = .f32, wrongAt: String, names: [String] = ["ort"]) throws -> Judgement {
        let t = TensorType(dtype, [4])
        let model = Model(inputs: [ValueInfo("x", t)], weights: [],
                          nodes: [Node(op: first, inputs: ["x"], outputs: [ValueInfo("a", t)], attributes: [:]),
                                  Node(op: second, inputs: ["a"], outputs: [ValueInfo("b", t)], attributes: [:])],
                          outputs: ["b"])
        let inputs = ["x": Tensor(dtype: dtype, shape: [4], doubles: [0.1, 0.2, 0.3, 0.4])]
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let expected = [reference["b"]!]
        let backends: [NamedBackend] = names.map { ($0, WrongAt(op: wrongAt)) }
        let runs = oracle.runAll(backends, model: model, inputs: inputs, reference: reference, expected: expected)
        return oracle.judge(runs, backends: backends, model: model, inputs: inputs, reference: reference, expected: expected)
    }

    func testTwoKernelBugsOfOneClassAreTwoFindings() throws {
        let sin = try judged("Sin", "Neg", wrongAt: "Sin"), cos = try judged("Cos", "Neg", wrongAt: "Cos")
        XCTAssertEqual(sin.verdict, .mismatch)
        XCTAssertEqual(sin.operators, ["Sin"])
        XCTAssertEqual(sin.operatorClass, cos.operatorClass, "one class: it alone would key them as one finding")
        XCTAssertEqual(sin.fingerprint?.cause, Cause(stage: .runtime, op: "Sin", family: "float"))
        XCTAssertNotEqual(sin.fingerprint?.id, cos.fingerprint?.id)
    }

    func testOneKernelBugIsOneFindingWhateverFollowsItAndWhateverItsFloatWidth() throws {
        let a = try judged("Sin", "Neg", wrongAt: "Sin"), b = try judged("Sin", "Abs", dtype: .f64, wrongAt: "Sin")
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        XCTAssertEqual(a.fingerprint?.description, "mismatch|execute|cause:runtime:Sin:float|ort")
    }

    func testTheBackendsThatFailedStayInTheKey() throws {
        let one = try judged("Sin", "Neg", wrongAt: "Sin"), two = try judged("Sin", "Neg", wrongAt: "Sin", names: ["ort", "ort-noopt"])
        XCTAssertEqual(two.backends, ["ort", "ort-noopt"])
        XCTAssertNotEqual(one.fingerprint?.id, two.fingerprint?.id)
    }
}
