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

    func culprit(_ fault: Fault, level: OptimizationLevel, case name: String, executor: CompilerBackend.Executor = .vm) throws -> (BackendRun, Culprit?) {
        let (model, inputs, expected) = try corpusCase(name)
        let backend = CompilerBackend(library: specLibrary, level: level, executor: executor, faults: [fault])
        let run = oracle.run(backend, name: "vm-\(level)", model: model, inputs: inputs, expected: expected)
        return (run, CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: inputs, expected: expected))
    }

    /// The VM at O2 with `fault` on `model` (input `x`): its run, which must be a mismatch, and the reference's
    /// outputs; each pass of `mendedWithout` switched off alone must mend it.
    func failsAtO2(_ model: Model, x: Tensor, _ fault: Fault, mendedWithout passes: [String]) throws -> (CompilerBackend, BackendRun, [Tensor]) {
        let expected = try Interpreter.outputs(model, library: specLibrary, inputs: ["x": x])
        let backend = CompilerBackend(library: specLibrary, level: .O2, faults: [fault])
        let run = oracle.run(backend, name: "vm-O2", model: model, inputs: ["x": x], expected: expected)
        XCTAssertEqual(run.verdict, .mismatch)
        for pass in passes {
            let mended = CompilerBackend(library: specLibrary, level: .O2, disabledPasses: [pass], faults: [fault])
            XCTAssertEqual(oracle.run(mended, name: "vm-O2", model: model, inputs: ["x": x], expected: expected).verdict, .pass, pass)
        }
        return (backend, run, expected)
    }

    func testADroppedRemainderTileIsBlamedOnTiling() throws {
        let (run, pass) = try culprit(.tileRemainderDropped, level: .O2, case: "fault-tile-remainder-dropped")
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertEqual(pass, .pass("loop-tile"))
    }

    /// A [7, 4] kernel at O2 is swapped (4 < 7), then its new innermost loop of 7 is unrolled by 4: the remainder the
    /// faulty unroll runs short exists only after the swap, so switching either pass off mends the test. The swap
    /// comes first in the pass list as in the loop nest it builds, and the unroll that broke the loop is named.
    func testAShortRemainderAfterASwapIsBlamedOnUnrollingNotTheSwap() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: f32[7, 4]
            node y: f32[7, 4] = Relu(x)
            output y
            """)
        let x = Tensor(dtype: .f32, shape: [7, 4], doubles: (0..<28).map { Double($0) + 1 })
        let (backend, run, expected) = try failsAtO2(model, x: x, .unrollRemainderShort, mendedWithout: ["loop-reorder", "loop-unroll"])
        XCTAssertEqual(CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: ["x": x], expected: expected),
                       .pass("loop-unroll"))
    }

    func testAWrongCSEIsBlamedOnCSE() throws {
        let (run, pass) = try culprit(.cseIgnoresAttributes, level: .O1, case: "fault-cse-ignores-attributes")
        XCTAssertNotEqual(run.verdict, .pass)
        XCTAssertEqual(pass, .pass("common-subexpression-elimination"))
    }

    /// The second common subexpression elimination merges two LeakyRelus with different alphas, whose inputs only
    /// layout simplification made the same (a double Transpose folded away). Switching either pass off mends the
    /// test, and the switches alone would blame layout simplification, the later one in the pass list; the graph
    /// after each pass shows that layout simplification kept the meaning and elimination broke it.
    func testAGraphPassIsBlamedByItsOwnGraphNotByWhatSwitchingItOffHides() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: f32[2, 3]
            node t: f32[3, 2] = Transpose(x) {perm = [1, 0]}
            node u: f32[2, 3] = Transpose(t) {perm = [1, 0]}
            node a: f32[2, 3] = LeakyRelu(x) {alpha = 0.1}
            node b: f32[2, 3] = LeakyRelu(u) {alpha = 0.5}
            output a
            output b
            """)
        let x = Tensor(dtype: .f32, shape: [2, 3], doubles: [-3, -2, -1, 1, 2, 3])
        let (backend, run, expected) = try failsAtO2(model, x: x, .cseIgnoresAttributes,
                                                     mendedWithout: ["common-subexpression-elimination", "layout-simplification"])
        let steps = try XCTUnwrap(backend.graphSteps(model))
        XCTAssertEqual(steps.map(\.pass), ["layout-simplification", "common-subexpression-elimination", "dead-code-elimination"])
        XCTAssertEqual(CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: ["x": x], expected: expected),
                       .pass("common-subexpression-elimination"))
        // Without the trace, the switches alone name the later pass.
        var switches = try XCTUnwrap(backend.passSwitches)
        switches.graphTrace = nil
        XCTAssertEqual(CulpritPass(oracle: oracle).find(Untraced(inner: backend, switches: switches), run: run, model: model,
                                                        inputs: ["x": x], expected: expected),
                       .pass("layout-simplification"))
    }

    /// A backend with the pass switches it is given (to take the graph trace away).
    struct Untraced: Backend {
        var inner: CompilerBackend
        var switches: PassSwitches
        var name: String { inner.name }
        var capabilities: BackendCapabilities { inner.capabilities }
        var passSwitches: PassSwitches? { switches }
        func prepare(_ model: Model) throws -> any PreparedModel { try inner.prepare(model) }
    }

    /// Each lowering fault breaks one lowering path, and switching that path off (its general implementation) mends
    /// the test, at O0 where no loop pass runs as at O3 where every one does.
    func testALoweringBugIsBlamedOnItsLoweringPath() throws {
        let cases: [(Fault, String)] = [(.broadcastStride, "lower-broadcast-read"), (.modNegative, "lower-modulo"),
                                        (.paddingOffByOne, "lower-padded-read"), (.reductionWrongIdentity, "lower-extremum-reduction")]
        for (fault, path) in cases {
            for level in [OptimizationLevel.O0, .O3] {
                let (run, found) = try culprit(fault, level: level, case: "fault-\(fault.rawValue)")
                XCTAssertNotEqual(run.verdict, .pass, "\(fault) at \(level)")
                XCTAssertEqual(found, .pass(path), "\(fault) at \(level)")
            }
        }
    }

    /// Rounding toward zero in the C prelude fails native code only, and `emit-half-rounding` switched off mends it.
    func testACodeGenerationBugIsBlamedOnItsPath() throws {
        let (run, found) = try culprit(.halfRoundingTruncates, level: .O3, case: "fault-half-rounding-truncates", executor: .native)
        XCTAssertNotEqual(run.verdict, .pass)
        XCTAssertEqual(found, .pass("emit-half-rounding"))
    }

    /// `fault` on `model` (input `x`) at O3 on `executor`: the run must fail, and the culprit search's answer.
    func culprit(_ fault: Fault, _ model: Model, x: Tensor, executor: CompilerBackend.Executor) throws -> Culprit? {
        let expected = try Interpreter.outputs(model, library: specLibrary, inputs: ["x": x])
        let backend = CompilerBackend(library: specLibrary, level: .O3, executor: executor, faults: [fault])
        let run = oracle.run(backend, name: "O3", model: model, inputs: ["x": x], expected: expected)
        XCTAssertNotEqual(run.verdict, .pass, "\(fault)")
        return CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: ["x": x], expected: expected)
    }

    /// Of tied values the last index wins: one lowering bug that ArgMax, ArgMin and Hardmax all show, blamed on the
    /// one path they share rather than on each operator.
    func testTiesGoingToTheLastIndexAreBlamedOnTheArgReductionPath() throws {
        let x = Tensor(dtype: .f32, shape: [2, 4], doubles: [1, 3, 0, 3, -1, -2, -2, -1])
        for node in ["i64[2, 1] = ArgMax(x) {axis = 1}", "i64[2, 1] = ArgMin(x) {axis = 1}", "f32[2, 4] = Hardmax(x) {axis = 1}"] {
            let model = try TextReader.read("graphsmith-model 1\ninput x: f32[2, 4]\nnode y: \(node)\noutput y\n")
            XCTAssertEqual(try culprit(.argTiesLast, model, x: x, executor: .vm), .pass("lower-arg-reduction"), node)
        }
    }

    /// Signed division floored through `double` fails native code only, on quotients of mixed signs, and is
    /// blamed on the code-generation path every signed division takes.
    func testFlooredSignedDivisionIsBlamedOnTheDivisionPath() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: i32[4]
            weight d: i32[4] = 00000003 fffffffd 00000002 fffffffe
            node y: i32[4] = Div(x, d)
            output y
            """)
        let x = Tensor(dtype: .i32, shape: [4], doubles: [7, 7, -7, -5])
        XCTAssertEqual(try culprit(.integerDivisionFloors, model, x: x, executor: .native), .pass("emit-signed-division"))
    }

    /// A backend whose variants fail whatever is switched off: native only (`.codeGeneration`), or the VM too.
    struct Unmendable: Backend {
        var name: String { "unmendable" }
        var fast = false
        var vmFails: Bool
        var capabilities: BackendCapabilities { BackendCapabilities(rounding: .reference, isolation: .inProcess) }
        func prepare(_ model: Model) throws -> any PreparedModel {
            let broken = !fast || vmFails
            return DeferredModel { inputs in
                let out = try Interpreter.outputs(model, library: specLibrary, inputs: inputs)
                return broken ? out.map { Tensor(dtype: $0.dtype, shape: $0.shape, doubles: $0.doubles.map { $0 + 1 }) } : out
            }
        }
        var passSwitches: PassSwitches? {
            let vmFails = self.vmFails
            return PassSwitches(passes: ["a", "b"]) { _, fast in Unmendable(fast: fast, vmFails: vmFails) }
        }
    }

    func testWhenNothingMendsTheVMTellsLoweringFromCodeGeneration() throws {
        let (model, inputs, expected) = try corpusCase("fault-tile-remainder-dropped")
        for (vmFails, want) in [(false, Culprit.codeGeneration), (true, .lowering)] {
            let backend = Unmendable(vmFails: vmFails)
            let run = oracle.run(backend, name: "unmendable", model: model, inputs: inputs, expected: expected)
            XCTAssertEqual(run.verdict, .mismatch)
            XCTAssertEqual(CulpritPass(oracle: oracle).find(backend, run: run, model: model, inputs: inputs, expected: expected), want)
        }
    }

    /// A cause keys a wrong result no switch mends: mismatch and NaN are one finding, whatever the backends; another
    /// operator of the failing kernel, another C type family in code generation, or lowering against code
    /// generation, is another. Lowering is one for every dtype.
    func testACauseKeysAWrongResultByItsKernel() {
        func f(_ v: Verdict, _ backends: [String], _ stage: Cause.Stage, _ op: String, _ d: DType) -> Fingerprint {
            Fingerprint(verdict: v, stage: .execute, operatorClass: "reduction", backends: backends, message: "",
                        cause: Cause(stage: stage, op: op, dtype: d))
        }
        XCTAssertEqual(f(.mismatch, ["native-O0"], .codegen, "ReduceMax", .f16), f(.nan, ["native-O2", "native-O3"], .codegen, "ReduceMax", .f32))
        XCTAssertNotEqual(f(.mismatch, ["native-O0"], .codegen, "ReduceMax", .f16), f(.mismatch, ["native-O0"], .codegen, "ReduceMin", .f16))
        XCTAssertNotEqual(f(.mismatch, ["native-O0"], .codegen, "ReduceMax", .f32), f(.mismatch, ["native-O0"], .codegen, "ReduceMax", .i32))
        XCTAssertNotEqual(f(.mismatch, ["native-O0"], .codegen, "ReduceMax", .f16), f(.mismatch, ["native-O0"], .lowering, "ReduceMax", .f16))
        XCTAssertEqual(f(.mismatch, ["vm-O0"], .lowering, "ArgMax", .f32), f(.mismatch, ["vm-O2"], .lowering, "ArgMax", .i64))
        XCTAssertEqual(f(.nan, [], .lowering, "Add", .f32).description, "wrong|execute|cause:lowering:Add")
        XCTAssertEqual(f(.nan, [], .codegen, "Div", .i8).description, "wrong|execute|cause:codegen:Div:signed")
        // A crash keeps its message class: a cause only keys wrong results.
        let crash = Fingerprint(verdict: .crash, stage: .execute, operatorClass: "", backends: ["native-O0"], message: "boom",
                                cause: Cause(stage: .codegen, op: "Add", dtype: .f32))
        XCTAssertNil(crash.cause)
        XCTAssertEqual(crash.messageClass, "boom")
    }

    /// Finding files written when the cause was one string (`stage:op:dtype`) read as the cause they name.
    func testALegacyCauseStringReadsAsItsCause() throws {
        let text = #"{"symptom": "wrong", "stage": "execute", "cause": "codegen:Div:i32"}"#
        let f = try JSONDecoder().decode(Fingerprint.self, from: Data(text.utf8))
        XCTAssertEqual(f.cause, Cause(stage: .codegen, op: "Div", family: "signed"))
        let record = try JSONEncoder().encode(f)
        XCTAssertEqual(try JSONDecoder().decode(Fingerprint.self, from: record), f)
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
        // The fusion bug that a compile-time check catches on one test and execution shows on the next: one finding.
        let early = Fingerprint(verdict: .crash, triage: .internalError, stage: .compile, operatorClass: "", backends: ["vm-O3"],
                                message: "value never computed", culpritPass: "loop-tile")
        XCTAssertEqual(early, a)
        XCTAssertEqual(early.id, a.id)
        XCTAssertEqual(Fingerprint(legacy: "wrong|compile|pass:loop-tile"), a)
        XCTAssertNotEqual(a, Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2"], message: ""))
    }

    /// `model`'s outputs evaluated node by node on the reference, each node's outputs passed through `change` first
    /// (a backend that is wrong in a known way).
    static func outputs(_ model: Model, _ inputs: [String: Tensor], change: (Node, Tensor) -> Tensor) throws -> [Tensor] {
        let instances = try Verifier.verify(model, library: specLibrary)
        var values = inputs
        for w in model.weights { values[w.name] = w.value }
        for (node, instance) in zip(model.nodes, instances) {
            let outs = try OpEvaluation.evaluate(instance, inputs: node.inputs.map { values[$0]! })
            for (info, t) in zip(node.outputs, outs) { values[info.name] = change(node, t) }
        }
        return model.outputs.map { values[$0]! }
    }

    /// Runs node by node on the reference, nudging every float node output up by a relative 1e-6 (within every
    /// float tolerance), as a runtime that rounds differently would; `breakLast` also negates the last bool output.
    struct NudgingBackend: Backend {
        var name: String { "nudging" }
        var breakLast = false
        var nudge = 1e-6
        var capabilities: BackendCapabilities { BackendCapabilities(rounding: .own, isolation: .inProcess) }

        func prepare(_ model: Model) throws -> any PreparedModel {
            DeferredModel { inputs in try run(model, inputs) }
        }

        func run(_ model: Model, _ inputs: [String: Tensor]) throws -> [Tensor] {
            let nudge = nudge
            var outputs = try CulpritTests.outputs(model, inputs) { _, t in
                t.dtype.isFloat ? Tensor(dtype: t.dtype, shape: t.shape, doubles: t.doubles.map { $0 * (1 + nudge) }) : t
            }
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

    /// float64 Gelu off by a float32-sized relative 3e-8 is within what its spec declares ONNX defines (`tolerance f64
    /// rtol 1e-6`); off by 1e-4 it is not, and neither is float64 Sin off by 3e-8 (no declared tolerance).
    func testADeclaredToleranceExplainsFloat64GeluWithFloat32Constants() throws {
        func explains(_ op: String, _ attributes: [String: AttributeValue], nudge: Double) throws -> Bool {
            let t = TensorType(.f64, [6])
            let model = Model(inputs: [ValueInfo("x", t)], weights: [],
                              nodes: [Node(op: op, inputs: ["x"], outputs: [ValueInfo("y", t)], attributes: attributes)], outputs: ["y"])
            let inputs = ["x": Tensor(dtype: .f64, shape: [6], doubles: [-2, -0.5, 0.25, 0.75, 1.5, 3])]
            let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
            let backend = NudgingBackend(nudge: nudge)
            let run = oracle.run(backend, name: "nudging", model: model, inputs: inputs, expected: [reference["y"]!])
            XCTAssertEqual(run.verdict, .mismatch, "\(op) off by \(nudge) is outside float64's own tolerance")
            let found = try XCTUnwrap(Localizer(oracle: oracle).divergence(backend, name: "nudging", model: model, inputs: inputs,
                                                                          reference: reference, failingOutput: run.divergingOutput))
            return AmplifiedRounding(library: specLibrary, oracle: oracle)
                .explains(node: found.node, outputs: try XCTUnwrap(found.outputs), backend: backend, model: model, inputs: inputs)
        }
        XCTAssertTrue(try explains("Gelu", ["approximate": .name("tanh")], nudge: 3e-8))
        XCTAssertFalse(try explains("Gelu", ["approximate": .name("tanh")], nudge: 1e-4))
        XCTAssertFalse(try explains("Sin", [:], nudge: 3e-8))
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
