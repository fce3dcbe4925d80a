import Backends
import Compiler
import Generator
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest

/// ONNX lets `axes` count from the end and come in any order. A node keeps the form it was written in (so exported
/// models carry it to outside compilers, and rewrite rules see it); the spec's expressions see the canonical form.
final class UnusualAxesTests: XCTestCase {
    let x = Tensor(dtype: .f32, shape: [2, 3, 4], doubles: (0..<24).map { Double($0) * 0.5 - 3 })

    func reduce(_ axes: String, keepdims: Int = 0, out: String) -> String {
        """
        graphsmith-model 1
        input x: f32[2, 3, 4]
        node y: f32[\(out)] = ReduceSum(x) {axes = \(axes), keepdims = \(keepdims)}
        output y
        """
    }

    func testNegativeAndUnsortedAxesMeanTheirCanonicalForm() throws {
        let canonical = try Interpreter.outputs(try model(reduce("[0, 2]", out: "3")), library: specLibrary, inputs: ["x": x])
        for form in ["[-1, 0]", "[2, 0]", "[-3, -1]"] {
            let m = try model(reduce(form, out: "3"))
            XCTAssertEqual(try Interpreter.outputs(m, library: specLibrary, inputs: ["x": x]), canonical, form)
            for level in [OptimizationLevel.O0, .O3] {
                XCTAssertEqual(try CompilerBackend(library: specLibrary, level: level).run(m, inputs: ["x": x]), canonical, "\(form) \(level)")
            }
        }
    }

    func testTheNodeKeepsTheWrittenFormAndBadFormsAreRefused() throws {
        let spec = try XCTUnwrap(specLibrary.spec(named: "ReduceSum"))
        let input = TensorType(.f32, [2, 3, 4])
        let instance = try spec.instantiate(inputs: [input], attributes: ["axes": .ints([-1, 0]), "keepdims": .int(1)])
        XCTAssertEqual(instance.attributes["axes"], .ints([-1, 0]))
        XCTAssertEqual(instance.outputTypes[0].shape, [1, 3, 1])
        // -1 and 2 are one axis of a rank-3 tensor; -4 is out of range.
        for bad in [[-1, 2], [-4], [3]] {
            XCTAssertThrowsError(try spec.instantiate(inputs: [input], attributes: ["axes": .ints(bad)]), "\(bad)")
        }
    }

    /// Squeeze counts axes in its input's rank, Unsqueeze in its output's: the same written axes undo each other.
    func testUndoingASqueezeWithTheSameNegativeAxesFoldsAway() throws {
        let text = """
            graphsmith-model 1
            input x: f32[2, 1, 3, 1]
            node s: f32[2, 3] = Squeeze(x) {axes = [-1, 1]}
            node u: f32[2, 1, 3, 1] = Unsqueeze(s) {n = 2, axes = [-1, 1]}
            node y: f32[2, 1, 3, 1] = Neg(u)
            output y
            """
        let m = try model(text)
        let inputs = ["x": Tensor(dtype: .f32, shape: [2, 1, 3, 1], doubles: [1, 2, 3, 4, 5, 6])]
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        XCTAssertEqual(try CompilerBackend(library: specLibrary, level: .O2).run(m, inputs: inputs), expected)
        let compiled = try Pipeline.standard.compile(m, context: context(.O2))
        XCTAssertEqual(compiled.typed.model.nodes.map(\.op), ["Neg"])
    }

    /// Free draws of `axes` include the unusual forms, and coverage has a bin for them.
    func testTheGeneratorWritesSomeAxesInAnUnusualForm() throws {
        var config = GeneratorConfig()
        config.include = ["ReduceSum", "ReduceMax", "Squeeze", "Unsqueeze", "Relu"]
        config.nodes = 6
        let generator = try ModelGenerator(library: specLibrary, config: config)
        var coverage = Coverage()
        for seed in 0..<60 as Range<UInt64> { coverage.add(try generator.generate(seed: seed), library: specLibrary) }
        let unusual = coverage.attributeBins.keys.filter { $0.hasSuffix("unusual form") }
        XCTAssertFalse(unusual.isEmpty, "\(coverage.attributeBins.keys.sorted())")
    }
}
