import Generator
import Reference
import ModelIR
import SpecLib
import TensorCore
import XCTest
@testable import InputSearch

/// The search on hand-built models whose random inputs are invalid, determinism, integer inputs, generated models.
final class SearchTests: XCTestCase {
    private let generous = SearchConfig(timeBudget: 60, maxSteps: 2000)

    /// Asserts that plain random inputs fail, that the search succeeds, and (independently) that its result is clean.
    private func assertRepaired(_ model: Model, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws -> SearchOutcome {
        let library = try sharedLibrary.get()
        XCTAssertNotNil(try uncleanReason(model, model.randomInputs(seed: seed), library), "random inputs are already clean",
                        file: file, line: line)
        let plain = InputSearch(library: library, config: SearchConfig(timeBudget: 60, maxSteps: 0)).search(model, seed: seed)
        XCTAssertFalse(plain.finite, file: file, line: line)
        let outcome = InputSearch(library: library, config: generous).search(model, seed: seed)
        XCTAssertTrue(outcome.finite, outcome.violation ?? "", file: file, line: line)
        XCTAssertNil(try uncleanReason(outcome.model, outcome.inputs, library), file: file, line: line)
        return outcome
    }

    func testRepairsLogOfADifference() throws {
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f32, [4, 8])), y = b.input("y", TensorType(.f32, [4, 8]))
        let model = b.finish([try b.node("Log", [try b.node("Sub", [x, y])])])
        let outcome = try assertRepaired(model, seed: 3)
        let xs = outcome.inputs["x"]!.doubles, ys = outcome.inputs["y"]!.doubles
        XCTAssertTrue(zip(xs, ys).allSatisfy { $0 > $1 })
    }

    func testRepairsASqrtDivChainThroughAWeight() throws {
        var rng = SeededRNG(seed: 5)
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f32, [3, 5]))
        let w = b.weight("w", Tensor.random(TensorType(.f32, [5, 5]), using: &rng))
        let h = try b.node("MatMul", [x, w])
        let s = try b.node("Sqrt", [h])
        let model = b.finish([try b.node("Div", [x, s])])
        let outcome = try assertRepaired(model, seed: 1)
        XCTAssertEqual(outcome.model.nodes, model.nodes)
    }

    func testRepairsAnOverflowingExpByMovingAWeight() throws {
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f16, [8]))
        let w = b.weight("w", Tensor(dtype: .f16, shape: [8], doubles: Array(repeating: 40, count: 8)))
        let model = b.finish([try b.node("Exp", [try b.node("Mul", [x, w])])])
        let outcome = try assertRepaired(model, seed: 2)
        XCTAssertNotEqual(outcome.model.weights[0].value, model.weights[0].value, "the weight should have moved")
    }

    func testIntegerIndicesAreRedrawnAndFloatsRepaired() throws {
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f32, [3, 4]))
        let idx = b.input("idx", TensorType(.i64, [6]))
        let g = try b.node("Gather", [x, idx], ["axis": .int(0)])
        let model = b.finish([try b.node("Log", [g])])
        let outcome = try assertRepaired(model, seed: 4)
        XCTAssertTrue(outcome.inputs["idx"]!.scalars.allSatisfy { (-3...2).contains($0.asInt64) })
    }

    /// Acosh's domain X >= 1 lies wholly outside the [-1, 1) fresh values come from: the redraw widens its range.
    func testAModelInputIsRedrawnIntoADomainBeyondTheFirstRange() throws {
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f32, [3, 2]))
        let model = b.finish([try b.node("Acosh", [x])])
        let outcome = try assertRepaired(model, seed: 3)
        XCTAssertTrue(outcome.inputs["x"]!.scalars.allSatisfy { $0.asDouble >= 1 })
    }

    func testSameSeedSameOutcome() throws {
        var b = ModelBuilder(library: try sharedLibrary.get())
        let x = b.input("x", TensorType(.f32, [6])), y = b.input("y", TensorType(.f32, [6]))
        let model = b.finish([try b.node("Asin", [try b.node("Div", [x, y])])])
        let search = InputSearch(library: try sharedLibrary.get(), config: generous)
        let one = search.search(model, seed: 9), two = search.search(model, seed: 9)
        XCTAssertTrue(one.finite)
        XCTAssertEqual(one.inputs, two.inputs)
        XCTAssertEqual(one.model, two.model)
        XCTAssertEqual(one.steps, two.steps)
        XCTAssertNotEqual(search.search(model, seed: 10).inputs, one.inputs)
    }

    func testSuccessOnGeneratedModelsIsReal() throws {
        let library = try sharedLibrary.get()
        let generator = try ModelGenerator(library: library, config: GeneratorConfig())
        let search = InputSearch(library: library, config: SearchConfig(timeBudget: 5))
        var repaired = 0
        // Some generated models have no finite state at all (a Range's fixed values into a Log): 40 seeds, so that
        // one more such model among them does not decide the test.
        for seed in UInt64(0)..<40 {
            let model = try generator.generate(seed: seed)
            let outcome = search.search(model, seed: seed)
            guard outcome.finite else { continue }
            repaired += 1
            XCTAssertNil(try uncleanReason(outcome.model, outcome.inputs, library), "seed \(seed)")
        }
        XCTAssertGreaterThanOrEqual(repaired, 32)
    }

    func testTapeValuesEqualTheReferenceInterpreter() throws {
        let library = try sharedLibrary.get()
        let generator = try ModelGenerator(library: library, config: GeneratorConfig())
        for seed in UInt64(100)..<160 {
            let model = try generator.generate(seed: seed)
            let instances = try Verifier.verify(model, library: library)
            let inputs = model.randomInputs(seed: seed)
            let expected = try Interpreter.run(model, library: library, inputs: inputs)
            var values = inputs
            for w in model.weights { values[w.name] = w.value }
            for (node, instance) in zip(model.nodes, instances) {
                let ins = node.inputs.map { values[$0]! }
                let compiled = CompiledOp(instance, activeInputs: ins.map(\.dtype.isFloat))
                var tape = Tape()
                let ids = ins.map { t -> [Int32]? in t.dtype.isFloat ? (0..<t.count).map { _ in tape.leaf() } : nil }
                let views = zip(instance.inputPorts, ins).map { TensorView($1, segments: instance.segments[$0.name]!) }
                let r = try OpTrace.run(compiled, views: views, ids: ids, tape: &tape, options: .init())
                for (info, t) in zip(node.outputs, r.outputs) {
                    XCTAssertEqual(t, expected[info.name], "seed \(seed) \(node.op) \(info.name)")
                    values[info.name] = t
                }
            }
        }
    }
}
