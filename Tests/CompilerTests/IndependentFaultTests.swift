import Backends
import Compiler
import LoopIR
import ModelIR
import Reference
import TensorCore
import XCTest

/// The five faults written after the feedback and boundary-value work, each on a model made for it: the faulty
/// compiler disagrees with the reference (or fails), and the correct compiler at the same level agrees.
final class IndependentFaultTests: XCTestCase {
    func check(_ text: String, _ inputs: [String: Tensor], _ fault: Fault, _ level: OptimizationLevel,
               _ executor: CompilerBackend.Executor, file: StaticString = #filePath, line: UInt = #line) throws {
        let m = try model(text)
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        let correct = try CompilerBackend(library: specLibrary, level: level, executor: executor).run(m, inputs: inputs)
        XCTAssertEqual(correct, expected, "the correct compiler", file: file, line: line)
        let faulty = try? CompilerBackend(library: specLibrary, level: level, executor: executor, faults: [fault]).run(m, inputs: inputs)
        XCTAssertNotEqual(faulty, expected, "\(fault.rawValue) must change the result or fail", file: file, line: line)
    }

    func tensor(_ dtype: DType, _ shape: [Int], _ values: [Double]) -> Tensor { Tensor(dtype: dtype, shape: shape, doubles: values) }

    func testCSEThatCommutesEveryOperatorMergesSubWithItsMirror() throws {
        let text = """
            graphsmith-model 1
            input a: f32[2, 2]
            input b: f32[2, 2]
            node p: f32[2, 2] = Sub(a, b)
            node q: f32[2, 2] = Sub(b, a)
            output p
            output q
            """
        let inputs = ["a": tensor(.f32, [2, 2], [1, 2, 3, 4]), "b": tensor(.f32, [2, 2], [0.5, 0, -1, 2])]
        try check(text, inputs, .cseCommutesOperands, .O1, .vm)
        // Add does commute: merging its mirror is right, and the faulty pass gives the reference's values there.
        let add = text.replacingOccurrences(of: "Sub", with: "Add")
        let m = try model(add)
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O1, faults: [.cseCommutesOperands]).run(m, inputs: inputs),
                       try Interpreter.outputs(m, library: specLibrary, inputs: inputs))
    }

    func testArgMaxThatScansFromTheEndPicksTheLastOfEqualValues() throws {
        let text = """
            graphsmith-model 1
            input x: f32[2, 3]
            node y: i64[2, 1] = ArgMax(x) {axis = 1}
            output y
            """
        try check(text, ["x": tensor(.f32, [2, 3], [1, 5, 5, 2, 2, 0])], .argTiesLast, .O0, .vm)
        // Without ties the faulty scan finds the same index.
        let m = try model(text)
        let distinct = ["x": tensor(.f32, [2, 3], [1, 5, 4, 2, 3, 0])]
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O0, faults: [.argTiesLast]).run(m, inputs: distinct),
                       try Interpreter.outputs(m, library: specLibrary, inputs: distinct))
    }

    /// Pad's read of `x[i]` for `i` in `0 ... 3` must check `i < 3`; the faulty comparison decides it always holds.
    func testIndexComparisonWithAnExclusiveUpperBoundDropsTheLastBoundsCheck() throws {
        let text = """
            graphsmith-model 1
            input x: f32[3]
            node y: f32[4] = Pad(x) {pads = [0, 1], constant_value = 1.5}
            output y
            """
        try check(text, ["x": tensor(.f32, [3], [1, 2, 3])], .indexCompareOffByOne, .O1, .vm)
    }

    func testRoundWithTiesAwayFromZeroDiffersOnHalves() throws {
        let text = """
            graphsmith-model 1
            input x: f32[4]
            node y: f32[4] = Round(x)
            output y
            """
        try check(text, ["x": tensor(.f32, [4], [0.5, 2.5, -1.5, 1.25])], .roundHalfAway, .O0, .native)
        // The VM rounds with the reference's table: the fault is in native code only.
        let m = try model(text)
        let inputs = ["x": tensor(.f32, [4], [0.5, 2.5, -1.5, 1.25])]
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O0, executor: .vm, faults: [.roundHalfAway]).run(m, inputs: inputs),
                       try Interpreter.outputs(m, library: specLibrary, inputs: inputs))
    }

    func testSignedDivisionThroughDoubleFloorsMixedSigns() throws {
        let text = """
            graphsmith-model 1
            input a: i32[4]
            input b: i32[4]
            node y: i32[4] = Div(a, b)
            output y
            """
        let mixed = ["a": tensor(.i32, [4], [7, -7, 6, 9]), "b": tensor(.i32, [4], [2, 2, -3, 4])]
        try check(text, mixed, .integerDivisionFloors, .O0, .native)
        // Same signs (and exact quotients) divide the same either way.
        let m = try model(text)
        let plain = ["a": tensor(.i32, [4], [7, -8, 6, 9]), "b": tensor(.i32, [4], [2, -3, -3, 4])]
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O0, executor: .native, faults: [.integerDivisionFloors]).run(m, inputs: plain),
                       try Interpreter.outputs(m, library: specLibrary, inputs: plain))
    }
}
