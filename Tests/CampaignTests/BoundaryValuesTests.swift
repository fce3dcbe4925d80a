@testable import Campaign
import InputSearch
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// Boundary value patterns: each moves values the way it says and leaves dtypes it does not apply to alone; a
/// campaign keeps a move only when the test stays valid.
final class BoundaryValuesTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    func moved(_ pattern: BoundaryPattern, _ inputs: [String: Tensor], seed: UInt64 = 1) -> [String: Tensor] {
        let model = Model(inputs: inputs.keys.sorted().map { ValueInfo($0, inputs[$0]!.type) }, weights: [], nodes: [], outputs: [])
        var rng = SeededRNG(seed: seed)
        return BoundaryValues.apply(pattern, model: model, inputs: inputs, using: &rng).inputs
    }

    func testEachPatternMovesWhatItSays() {
        let f = Tensor(dtype: .f32, shape: [4, 8], doubles: (0..<32).map { Double($0) * 0.37 - 3 })
        let i = Tensor(dtype: .i8, shape: [16], ints: (0..<16).map { Int64($0) + 1 })
        let ties = moved(.ties, ["x": f])["x"]!
        XCTAssertGreaterThan((0..<32).filter { $0 % 8 != 0 && ties.double(at: $0) == ties.double(at: $0 - 1) }.count, 5)
        XCTAssertEqual((0..<32).filter { $0 % 8 == 0 }.map { ties.double(at: $0) }, (0..<32).filter { $0 % 8 == 0 }.map { f.double(at: $0) },
                       "a row's first element keeps its value: ties stay within the last axis")
        let halves = moved(.halves, ["x": f])["x"]!
        XCTAssertGreaterThan((0..<32).filter { let v = halves.double(at: $0); return v - v.rounded(.down) == 0.5 }.count, 8)
        XCTAssertEqual(moved(.halves, ["i": i])["i"], i, "integers have no halves")
        let edges = moved(.integerEdges, ["i": i])["i"]!
        XCTAssertTrue((0..<16).contains { [-128, -127, 126, 127].contains(edges.double(at: $0)) }, "\(edges.doubles)")
        XCTAssertEqual(moved(.integerEdges, ["x": f])["x"], f)
        let negatives = moved(.negatives, ["i": i])["i"]!
        XCTAssertTrue((0..<16).contains { negatives.double(at: $0) < 0 })
        XCTAssertEqual(moved(.negatives, ["u": Tensor(dtype: .u8, shape: [3], ints: [1, 2, 3])])["u"]?.doubles, [1, 2, 3])
        let g = Tensor(dtype: .f32, shape: [4, 8], doubles: (0..<32).map { Double($0) + 100 })
        let shared = moved(.shared, ["a": f, "b": g])
        XCTAssertEqual(shared["a"], f)
        XCTAssertGreaterThan((0..<32).filter { shared["b"]!.double(at: $0) == f.double(at: $0) }.count, 5)
    }

    func prepared(_ text: String, inputs: [String: Tensor]) throws -> PreparedTest {
        var test = PreparedTest(index: 0, seed: 9, model: try TextReader.read(text), inputs: inputs, reference: [:])
        TestPlan.evaluateReference(&test, library: library)
        XCTAssertNil(test.invalidReason)
        return test
    }

    func testAMoveIsKeptOnlyWhileTheTestStaysValid() throws {
        let add = """
            graphsmith-model 1
            input a: i8[6]
            input b: i8[6]
            node c: i8[6] = Add(a, b)
            output c
            """
        let small = ["a": Tensor(dtype: .i8, shape: [6], ints: [1, 2, 3, 4, 5, 6]), "b": Tensor(dtype: .i8, shape: [6], ints: [6, 5, 4, 3, 2, 1])]
        var kept = try prepared(add, inputs: small)
        TestPlan.moveToBoundary(&kept, share: 1, library: library, pattern: .negatives)
        XCTAssertEqual(kept.boundary, .negatives)
        XCTAssertNotEqual(kept.inputs, small)
        // An extreme of i8 added to itself overflows, which ONNX leaves undefined: the move is undone.
        let twice = """
            graphsmith-model 1
            input a: i8[16]
            node c: i8[16] = Add(a, a)
            output c
            """
        let ones = ["a": Tensor(dtype: .i8, shape: [16], ints: Array(repeating: 1, count: 16))]
        var undone = try prepared(twice, inputs: ones)
        TestPlan.moveToBoundary(&undone, share: 1, library: library, pattern: .integerEdges)
        XCTAssertNil(undone.boundary)
        XCTAssertEqual(undone.inputs, ones)
        var none = try prepared(add, inputs: small)
        TestPlan.moveToBoundary(&none, share: 0, library: library, pattern: .negatives)
        XCTAssertNil(none.boundary)
    }
}
