import Backends
import Campaign
import Compiler
import Foundation
import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Oracle

/// The culprit pass of a compiler failure, the fingerprint built on it, and rounding a discontinuous operator
/// amplified on an external runtime.
final class CulpritTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)

    /// A corpus case's model and inputs, and the reference's outputs.
    func corpusCase(_ name: String) throws -> (Model, [String: Tensor], [Tensor]) {
        let (model, inputs) = try Staging.readTest(repositoryRoot.appendingPathComponent("Corpus/\(name)").path, library: specLibrary)
        return (model, inputs, try Interpreter.outputs(model, library: specLibrary, inputs: inputs))
    }

    func culprit(_ fault: Fault, level: OptimizationLevel, case name: String) throws -> (BackendRun, String?) {
        let (model, inputs, expected) = try corpusCase(name)
        let backend = CompilerBackend(library: specLibrary, level: level, faults: [fault])
        let run = oracle.run(backend, name: "vm-\(level)", model: model, inputs: inputs, expected: expected)
        return (run, CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: inputs, expected: expected))
    }

    func testADroppedRemainderTileIsBlamedOnTiling() throws {
        let (run, pass) = try culprit(.tileRemainderDropped, level: .O2, case: "fault-tile-remainder-dropped")
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertEqual(pass, "loop-tile")
    }

    func testAWrongCSEIsBlamedOnCSE() throws {
        let (run, pass) = try culprit(.cseIgnoresAttributes, level: .O1, case: "fault-cse-ignores-attributes")
        XCTAssertNotEqual(run.verdict, .pass)
        XCTAssertEqual(pass, "common-subexpression-elimination")
    }

    func testALoweringBugHasNoCulpritPass() throws {
        let (run, pass) = try culprit(.broadcastStride, level: .O0, case: "fault-broadcast-stride")
        XCTAssertNotEqual(run.verdict, .pass)
        XCTAssertNil(pass)
    }

    func testPassingRunHasNoCulprit() throws {
        let (model, inputs, expected) = try corpusCase("fault-tile-remainder-dropped")
        let backend = CompilerBackend(library: specLibrary, level: .O2)
        let run = oracle.run(backend, name: "vm-O2", model: model, inputs: inputs, expected: expected)
        XCTAssertEqual(run.verdict, .pass)
        XCTAssertNil(CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: inputs, expected: expected))
    }

    func testACulpritMakesMismatchAndNaNOneFindingWhateverTheBackendsAndClass() {
        let a = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2"], message: "",
                                 culpritPass: "loop-tile")
        let b = Fingerprint(verdict: .nan, stage: .execute, operatorClass: "reduction", backends: ["vm-O2", "vm-O3"], message: "",
                                 culpritPass: "loop-tile")
        let c = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2"], message: "",
                                 culpritPass: "loop-unroll")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertNotEqual(a, Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2"], message: ""))
    }

    /// Runs node by node on the reference, nudging every float node output up by a relative 1e-6 (within every
    /// float tolerance), as a runtime that rounds differently would; `breakLast` also negates the last bool output.
    struct NudgingBackend: Backend {
        var name: String { "nudging" }
        var breakLast = false
        var capabilities: BackendCapabilities { BackendCapabilities(rounding: .own, isolation: .inProcess) }

        func prepare(_ model: Model) throws -> any PreparedModel {
            DeferredModel { inputs in try run(model, inputs) }
        }

        func run(_ model: Model, _ inputs: [String: Tensor]) throws -> [Tensor] {
            let instances = try Verifier.verify(model, library: specLibrary)
            var values = inputs
            for w in model.weights { values[w.name] = w.value }
            for (node, instance) in zip(model.nodes, instances) {
                let outs = try OpEvaluation.evaluate(instance, inputs: node.inputs.map { values[$0]! })
                for (info, t) in zip(node.outputs, outs) {
                    values[info.name] = t.dtype.isFloat ? Tensor(dtype: t.dtype, shape: t.shape, doubles: t.doubles.map { $0 * (1 + 1e-6) }) : t
                }
            }
            var outputs = model.outputs.map { values[$0]! }
            if breakLast, let last = outputs.last, last.dtype == .bool {
                outputs[outputs.count - 1] = Tensor(dtype: .bool, shape: last.shape, doubles: last.doubles.map { $0 == 0 ? 1 : 0 })
            }
            return outputs
        }
    }

    /// Greater(x - y, z) with x - y == z in one element: a nudge of x - y flips it.
    func comparisonModel() -> (Model, [String: Tensor]) {
        let t = TensorType(.f32, [2])
        let model = Model(inputs: [ValueInfo("x", t), ValueInfo("y", t), ValueInfo("z", t)], weights: [],
                          nodes: [Node(op: "Sub", inputs: ["x", "y"], outputs: [ValueInfo("d", t)], attributes: [:]),
                                  Node(op: "Greater", inputs: ["d", "z"], outputs: [ValueInfo("g", TensorType(.bool, [2]))], attributes: [:])],
                          outputs: ["g"])
        let inputs = ["x": Tensor(dtype: .f32, shape: [2], doubles: [1, 2]), "y": Tensor(dtype: .f32, shape: [2], doubles: [0, 0]),
                      "z": Tensor(dtype: .f32, shape: [2], doubles: [1, 0])]
        return (model, inputs)
    }

    func explained(_ backend: NudgingBackend) throws -> (BackendRun, Bool) {
        let (model, inputs) = comparisonModel()
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let run = oracle.run(backend, name: "nudging", model: model, inputs: inputs, expected: [reference["g"]!])
        let found = try XCTUnwrap(Localizer(oracle: oracle).divergence(backend, name: "nudging", model: model, inputs: inputs,
                                                                      reference: reference, failingOutput: run.divergingOutput))
        XCTAssertEqual(found.node, 1, "the comparison is the first node out of tolerance")
        let explains = AmplifiedRounding(library: specLibrary, oracle: oracle)
            .explains(node: found.node, outputs: try XCTUnwrap(found.outputs), backend: backend, model: model, inputs: inputs)
        return (run, explains)
    }

    func testAFlippedComparisonOfNudgedValuesIsExplainedByRounding() throws {
        let (run, explains) = try explained(NudgingBackend())
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertTrue(explains)
    }

    func testAComparisonThatIsWrongForItsOwnInputsIsNotExplained() throws {
        let (run, explains) = try explained(NudgingBackend(breakLast: true))
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertFalse(explains)
    }
}
