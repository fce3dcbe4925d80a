import Generator
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import InputSearch

/// The generator's feasibility check: models with no finite state are refused, feasible ones repaired, and every
/// model the checked generator makes comes with a witness that the reference (not the search) finds clean.
final class FeasibilityTests: XCTestCase {
    /// The values a generator would hand over for a fresh model: its inputs (random) and weights, no node outputs.
    private func start(_ model: Model, seed: UInt64) -> [String: Tensor] {
        var values = model.randomInputs(seed: seed)
        for w in model.weights { values[w.name] = w.value }
        return values
    }

    func testRefusesAsinOfALogSoftmaxOverThreeElements() throws {
        // The smallest of three log-probabilities is at most log(1/3) < -1: no input makes every Asin input valid.
        let library = try sharedLibrary.get()
        var b = ModelBuilder(library: library)
        let x = b.input("x", TensorType(.f32, [2, 3]))
        let model = b.finish([try b.node("Asin", [try b.node("LogSoftmax", [x], ["axis": .int(1)])])])
        let check = SearchFeasibility(library: library)
        for seed: UInt64 in 0..<4 { XCTAssertNil(check.witness(model, values: start(model, seed: seed), seed: seed)) }
    }

    func testRefusesLogOfXMinusX() throws {
        let library = try sharedLibrary.get()
        var b = ModelBuilder(library: library)
        let x = b.input("x", TensorType(.f32, [4]))
        let model = b.finish([try b.node("Log", [try b.node("Sub", [x, x])])])
        XCTAssertNil(SearchFeasibility(library: library).witness(model, values: start(model, seed: 1), seed: 1))
    }

    func testRepairsLogOfADifferenceAndReturnsEveryValue() throws {
        let library = try sharedLibrary.get()
        var b = ModelBuilder(library: library)
        let x = b.input("x", TensorType(.f32, [4, 8])), y = b.input("y", TensorType(.f32, [4, 8]))
        let model = b.finish([try b.node("Log", [try b.node("Sub", [x, y])])])
        let values = start(model, seed: 3)
        XCTAssertNotNil(try uncleanReason(model, values, library), "random inputs are already clean")
        let witness = try XCTUnwrap(SearchFeasibility(library: library).witness(model, values: values, seed: 3))
        let inputs = ["x": witness["x"]!, "y": witness["y"]!]
        XCTAssertNil(try uncleanReason(model, inputs, library))
        // The node outputs handed back are the reference's, bit for bit.
        let reference = try Interpreter.run(model, library: library, inputs: inputs)
        for node in model.nodes { XCTAssertEqual(witness[node.outputs[0].name], reference[node.outputs[0].name]) }
    }

    func testCheckedGeneratorModelsComeWithACleanWitness() throws {
        let library = try sharedLibrary.get()
        var config = GeneratorConfig()
        config.maxElements = 4096
        let gen = try ModelGenerator(library: library, config: config, feasibility: SearchFeasibility(library: library))
        for seed: UInt64 in 0..<40 {
            let (model, witness) = try gen.generateWitnessed(seed: seed)
            let w = try XCTUnwrap(witness)
            let inputs = Dictionary(uniqueKeysWithValues: model.inputs.map { ($0.name, w[$0.name]!) })
            for weight in model.weights { XCTAssertEqual(w[weight.name], weight.value, "seed \(seed): weight \(weight.name)") }
            XCTAssertNil(try uncleanReason(model, inputs, library), "seed \(seed)")
            XCTAssertEqual(model.nodes.count, config.nodes)
        }
    }

    func testCheckedIntegerModelsNeverOverflowOnTheirWitness() throws {
        let library = try sharedLibrary.get()
        var config = GeneratorConfig()
        config.maxElements = 4096
        config.dtypes = Set(DType.integers + [.bool])
        let checked = try ModelGenerator(library: library, config: config, feasibility: SearchFeasibility(library: library))
        let unchecked = try ModelGenerator(library: library, config: config)
        var overflowing: [String] = [], uncheckedOverflows = 0
        for seed: UInt64 in 0..<300 {
            let (model, witness) = try checked.generateWitnessed(seed: seed)
            let w = try XCTUnwrap(witness)
            if let why = TestValidity.violation(model, instances: try Verifier.verify(model, library: library), values: w) {
                overflowing.append("seed \(seed): \(why)")
            }
            let plain = try unchecked.generate(seed: seed)
            if let values = try? Interpreter.run(plain, library: library, inputs: plain.randomInputs(seed: seed)),
               TestValidity.violation(plain, instances: try Verifier.verify(plain, library: library), values: values)?.contains("overflows") == true {
                uncheckedOverflows += 1
            }
        }
        XCTAssertEqual(overflowing, [])
        XCTAssertGreaterThan(uncheckedOverflows, 0, "without the check some models overflow: the test can fail")
    }

    func testCheckedGenerationIsDeterministic() throws {
        let library = try sharedLibrary.get()
        var config = GeneratorConfig()
        config.maxElements = 4096
        let a = try ModelGenerator(library: library, config: config, feasibility: SearchFeasibility(library: library))
        let b = try ModelGenerator(library: library, config: config, feasibility: SearchFeasibility(library: library))
        for seed: UInt64 in 100..<115 {
            XCTAssertEqual(TextWriter.write(try a.generate(seed: seed)), TextWriter.write(try b.generate(seed: seed)), "seed \(seed)")
        }
    }

    func testWithoutTheCheckSomeSeedsGiveModelsWithNoFiniteState() throws {
        // Which seeds do (a model with a Log that no long search keeps in its domain) moves with every spec change,
        // so the test scans for two instead of naming them: 7 of the first 150 seeds did when it was written.
        let library = try sharedLibrary.get()
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        let search = InputSearch(library: library, config: SearchConfig(timeBudget: .infinity, maxSteps: 300))
        var failed: [UInt64] = []
        for seed: UInt64 in 0..<300 where failed.count < 2 {
            if !search.search(try gen.generate(seed: seed), seed: seed).finite { failed.append(seed) }
        }
        XCTAssertEqual(failed.count, 2, "seeds without a finite state among 0..<300: \(failed)")
    }
}
