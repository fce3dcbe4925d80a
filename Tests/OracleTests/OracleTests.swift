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

let specLibrary: SpecLibrary = {
    let path = URL(fileURLWithPath: repositorySpecs).resolvingSymlinksInPath().path
    do { return try SpecLibrary.load(directory: path) } catch { fatalError("cannot load specs: \(error)") }
}()

final class OracleTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)

    func f32(_ values: [Float], _ shape: [Int]) -> Tensor {
        Tensor(dtype: .f32, shape: shape, bits: values.map { UInt64($0.bitPattern) })
    }

    func testAgreeingOutputsPass() {
        let run = oracle.judge([f32([1, 2.00001], [2])], expected: [f32([1, 2], [2])], name: "vm-O0")
        XCTAssertEqual(run.verdict, .pass)
    }

    func testDifferenceBeyondToleranceIsAMismatchNamingTheOutput() {
        let run = oracle.judge([f32([1, 2], [2]), f32([1, 3], [2])], expected: [f32([1, 2], [2]), f32([1, 2], [2])], name: "vm-O0")
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertEqual(run.divergingOutput, 1)
        XCTAssertTrue(run.message.hasPrefix("output 1: 1 of 2 elements differ"), run.message)
    }

    func testNaNWhereTheReferenceIsFiniteIsItsOwnVerdict() {
        let run = oracle.judge([f32([.nan, 2], [2])], expected: [f32([1, 2], [2])], name: "vm-O0")
        XCTAssertEqual(run.verdict, .nan)
    }

    func testShapeDifferenceIsAMismatch() {
        let run = oracle.judge([f32([1, 2], [1, 2])], expected: [f32([1, 2], [2])], name: "vm-O0")
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertTrue(run.message.contains("shape"), run.message)
    }

    /// Broadcast Add in the middle of a chain: with the broadcast-stride fault the first diverging node is the Add,
    /// not the Relu or Neg after it, whatever the model's outputs are.
    func testLocalizerNamesTheFirstDivergingNode() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: f32[3, 4]
            input b: f32[1, 4]
            node r: f32[3, 4] = Relu(x)
            node a: f32[3, 4] = Add(r, b)
            node n: f32[3, 4] = Neg(a)
            output n
            """)
        var rng = SeededRNG(seed: 3)
        let inputs = ["x": Tensor.random(TensorType(.f32, [3, 4]), using: &rng, low: -1, high: 1),
                      "b": Tensor.random(TensorType(.f32, [1, 4]), using: &rng, low: -1, high: 1)]
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let faulty = CompilerBackend(library: specLibrary, level: .O0, faults: [.broadcastStride])
        let run = oracle.run(faulty, name: "vm-O0", model: model, inputs: inputs, expected: [reference["n"]!])
        XCTAssertNotEqual(run.verdict, .pass, "the fault must show on this model")
        let node = Localizer(oracle: oracle).firstDivergence(faulty, name: "vm-O0", model: model, inputs: inputs,
                                                             reference: reference, failingOutput: run.divergingOutput)
        XCTAssertEqual(node.map { model.nodes[$0].op }, "Add")
        let correct = CompilerBackend(library: specLibrary, level: .O0)
        XCTAssertEqual(oracle.run(correct, name: "vm-O0", model: model, inputs: inputs, expected: [reference["n"]!]).verdict, .pass)
    }

    /// Two LeakyRelus of one input that differ only in alpha, read by one Add: a CSE that ignores attributes merges
    /// the second into the first. A prefix of the second's ancestors alone holds no twin to merge and passes; the
    /// live prefix keeps the first alive (the Add reads it), so the second LeakyRelu, not the Add, is named.
    func testLocalizerKeepsTheCulpritsTwinAlive() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: f32[3, 4]
            node a: f32[3, 4] = LeakyRelu(x) {alpha = 0.1}
            node b: f32[3, 4] = LeakyRelu(x) {alpha = 0.5}
            node c: f32[3, 4] = Add(a, b)
            output c
            """)
        var rng = SeededRNG(seed: 5)
        let inputs = ["x": Tensor.random(TensorType(.f32, [3, 4]), using: &rng, low: -1, high: 1)]
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let faulty = CompilerBackend(library: specLibrary, level: .O1, faults: [.cseIgnoresAttributes])
        let run = oracle.run(faulty, name: "vm-O1", model: model, inputs: inputs, expected: [reference["c"]!])
        XCTAssertNotEqual(run.verdict, .pass, "the fault must show on this model")
        let node = Localizer(oracle: oracle).firstDivergence(faulty, name: "vm-O1", model: model, inputs: inputs,
                                                             reference: reference, failingOutput: run.divergingOutput)
        XCTAssertEqual(node, 1)
        let live = Localizer.livePrefix(model, through: 1)
        XCTAssertEqual(live.nodes.map(\.op), ["LeakyRelu", "LeakyRelu"])
        XCTAssertEqual(live.outputs, ["b", "a"])
    }

    func testPrefixKeepsOnlyAncestorsAndWhatTheyRead() throws {
        let model = try TextReader.read("""
            graphsmith-model 1
            input x: f32[2]
            input y: f32[2]
            node a: f32[2] = Relu(x)
            node b: f32[2] = Neg(y)
            node c: f32[2] = Add(a, a)
            output b
            output c
            """)
        let prefix = Localizer.prefix(model, through: 2)
        XCTAssertEqual(prefix.nodes.map(\.op), ["Relu", "Add"])
        XCTAssertEqual(prefix.inputs.map(\.name), ["x"])
        XCTAssertEqual(prefix.outputs, ["c"])
    }
}

final class FingerprintTests: XCTestCase {
    func testNumbersAndOperatorNamesAreMaskedInCrashMessages() {
        let a = Fingerprint(verdict: .crash, stage: .execute, operatorClass: "", backends: ["vm-O0"],
                                 message: "Div: index 17 out of range reading buffer 1 at 0x7ffe12", operatorNames: ["Div", "Mul"])
        let b = Fingerprint(verdict: .crash, stage: .execute, operatorClass: "", backends: ["vm-O0"],
                                 message: "Mul: index 3 out of range reading buffer 2 at 0xdeadbeef", operatorNames: ["Div", "Mul"])
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.description, "crash|execute||vm-O0|OP: index # out of range reading buffer # at #")
    }

    func testQuotedNamesOfOneModelAreMaskedAndApostrophesAreNot() {
        // An outside compiler's internal error names the model's nodes and shapes inside quotes.
        let one = "RuntimeError: While validating node 'opset1::Select v14 (opset1::LogicalAnd n3_And[0]:boolean[3,2])' with friendly_name 'v14': Argument 1 and 2 element types must match."
        let other = "RuntimeError: While validating node 'opset1::Select v9 (opset1::Less n7_Less[0]:boolean[4,2], opset1::Convert c[0]:u8[2])' with friendly_name 'v9': Argument 1 and 2 element types must match."
        XCTAssertEqual(Fingerprint.messageClass(one), Fingerprint.messageClass(other))
        XCTAssertEqual(Fingerprint.messageClass(one),
                       "RuntimeError: While validating node '…' with friendly_name '…': Argument # and # element types must match.")
        XCTAssertNotEqual(Fingerprint.messageClass(one), Fingerprint.messageClass("RuntimeError: While validating node 'x': Shapes differ"))
        XCTAssertEqual(Fingerprint.messageClass("can't read 'a.b' here, don't"), "can't read '…' here, don't")
        XCTAssertEqual(Fingerprint.messageClass("cut inside 'a quote (and"), "cut inside '…")
        // gcc quotes with ‘ ’: the same C++ error on two dtypes is one class, another error another.
        let u8 = "CppCompileError: no match for \u{2018}operator==\u{2019} (operand types are \u{2018}VecMask<unsigned char, 1>\u{2019})"
        let i32 = "CppCompileError: no match for \u{2018}operator==\u{2019} (operand types are \u{2018}VecMask<int, 1>\u{2019})"
        XCTAssertEqual(Fingerprint.messageClass(u8), Fingerprint.messageClass(i32))
        XCTAssertEqual(Fingerprint.messageClass("error: operands to \u{2018}?:\u{2019} have different types \u{2018}VecMask<int, 1>\u{2019}"),
                       "error: operands to \u{2018}…\u{2019} have different types \u{2018}…\u{2019}")
        XCTAssertEqual(Fingerprint.messageClass("cut inside (a bracket 'and"), "cut inside (…")
        // The same error cut at different places inside its node description is one class.
        XCTAssertEqual(Fingerprint.messageClass("While validating node 'Select v5 (Less n7[0]:boolean[4,2]"),
                       Fingerprint.messageClass("While validating node 'Select v9 (Concat n0[0]:bool"))
        // Expressions of one model in brackets: the same check in the same converter is one class, another is not.
        let power = Fingerprint.messageClass("TypeError: However, R.power(lv5, R.const(2, \"int32\")) uses datatype T.float32")
        XCTAssertEqual(power, Fingerprint.messageClass("TypeError: However, R.power(v1, lv2) uses datatype T.float32"))
        XCTAssertEqual(power, "TypeError: However, R.power(…) uses datatype T.float#")
        XCTAssertNotEqual(power, Fingerprint.messageClass("TypeError: However, R.subtract(v1, lv2) uses datatype T.float32"))
    }

    func testBackendSetAndClassSeparateMismatches() {
        let o2 = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O3", "vm-O2"], message: "x")
        let o2Again = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2", "vm-O3"], message: "y")
        let all = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O0", "vm-O2", "vm-O3"], message: "x")
        let reduction = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "reduction", backends: ["vm-O2", "vm-O3"], message: "x")
        XCTAssertEqual(o2, o2Again, "backend order and mismatch text do not matter")
        XCTAssertEqual(Set([o2, all, reduction]).count, 3)
    }

    func testIdIsStableAndShaped() {
        let id = Fingerprint.id("mismatch|execute|injective|vm-O0|")
        XCTAssertEqual(id, Fingerprint.id("mismatch|execute|injective|vm-O0|"))
        XCTAssertNotEqual(id, Fingerprint.id("mismatch|execute|injective|vm-O1|"))
        XCTAssertTrue(id.hasPrefix("f-"))
        XCTAssertEqual(id.count, 14)
        XCTAssertTrue(id.dropFirst(2).allSatisfy(\.isHexDigit))
    }

    func testARecordRoundTripsThroughJSONAndItsTextForm() throws {
        let prints = [
            Fingerprint(verdict: .crash, stage: .compile, operatorClass: "", backends: ["vm-O1", "vm-O0"], message: "Div: bad 3"),
            Fingerprint(verdict: .nan, stage: .execute, operatorClass: "reduction", backends: ["native-O3"], message: ""),
            Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: "injective", backends: ["vm-O2"], message: "",
                        culpritPass: "loop-tile"),
        ]
        for f in prints {
            let data = try JSONEncoder().encode(f)
            XCTAssertEqual(try JSONDecoder().decode(Fingerprint.self, from: data), f)
            XCTAssertEqual(Fingerprint(legacy: f.description), f)
            // Older campaign directories hold the text form; it decodes to the same record.
            let legacy = try JSONEncoder().encode(f.description)
            XCTAssertEqual(try JSONDecoder().decode(Fingerprint.self, from: legacy), f)
        }
        XCTAssertNil(Fingerprint(legacy: "mismatch|later|x|y|z"))
        XCTAssertThrowsError(try JSONDecoder().decode(Fingerprint.self, from: Data(#""not a fingerprint""#.utf8)))
    }

    /// The corpus cases were filed when fingerprints were stored as text: their folder ids must still be the ids of
    /// the fingerprints read back, or replays and known-finding lists would stop matching.
    func testCorpusIdsAreTheIdsOfTheirFingerprints() throws {
        let corpus = repositoryRoot.appendingPathComponent("Corpus").path
        let cases = try FileManager.default.contentsOfDirectory(atPath: corpus).filter {
            FileManager.default.fileExists(atPath: "\(corpus)/\($0)/finding.json")
        }
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        for name in cases {
            let record = try JSONCoding.decode(FindingRecord.self, from: "\(corpus)/\(name)/finding.json")
            XCTAssertEqual(record.fingerprint.id, record.id, name)
        }
    }
}
