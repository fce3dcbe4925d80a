import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Generator

/// ONNX does not say how an integer Gemm uses a fractional alpha or beta, so Gemm.op requires integral ones for
/// integer instances: the sampler, the solver and the generator all keep to it, while float instances keep the range.
final class IntegerGemmTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    /// alpha and beta of an instance, and whether both are integral.
    func scales(_ instance: OpInstance) -> (String, Bool) {
        let values = ["alpha", "beta"].map { name -> Double in
            if case .real(let d)? = instance.attributes[name] { return d }
            return .nan
        }
        return ("alpha \(values[0]) beta \(values[1])", values.allSatisfy { $0 == $0.rounded() })
    }

    /// Tallies instances: integer ones with a fractional scale (must stay empty), and how many of each kind.
    struct Tally {
        var fractionalIntegers: [String] = []
        var integers = 0, floats = 0, fractionalFloats = 0
    }

    func add(_ instance: OpInstance, _ tally: inout Tally, _ label: String) {
        let (text, integral) = scales(instance)
        if instance.inputTypes[0].dtype.isInteger {
            tally.integers += 1
            if !integral { tally.fractionalIntegers.append("\(label): \(instance.inputTypes[0].dtype) \(text)") }
        } else {
            tally.floats += 1
            if !integral { tally.fractionalFloats += 1 }
        }
    }

    func testTheSamplerDrawsIntegralScalesForIntegerInstances() throws {
        let sampler = InstanceSampler(spec: try XCTUnwrap(library.spec(named: "Gemm")))
        var tally = Tally()
        for seed in 0..<400 as Range<UInt64> {
            var rng = SeededRNG(seed: seed)
            add(try XCTUnwrap(sampler.sample(using: &rng)), &tally, "seed \(seed)")
        }
        XCTAssertEqual(tally.fractionalIntegers, [])
        XCTAssertGreaterThan(tally.integers, 10)
        XCTAssertGreaterThan(tally.fractionalFloats, tally.floats / 2)
    }

    func testTheSolverFindsIntegralScalesForIntegerInstances() throws {
        let solver = Solver(spec: try XCTUnwrap(library.spec(named: "Gemm")))
        var tally = Tally()
        for (dtypes, label) in [([DType.i32, .i64, .u32, .u64], "int"), ([.f16, .f32, .f64], "float")] {
            var request = SolverRequest()
            request.allowedDTypes = Set(dtypes)
            for seed in 0..<200 as Range<UInt64> {
                var rng = SeededRNG(seed: seed)
                add(try XCTUnwrap(solver.solve(request, using: &rng), "\(label) seed \(seed)"), &tally, "seed \(seed)")
            }
        }
        XCTAssertEqual(tally.fractionalIntegers, [])
        XCTAssertEqual(tally.integers, 200)
        XCTAssertGreaterThan(tally.fractionalFloats, 150)
        // Integer instances are not all the default: the repair reaches the other integers of the range.
        var alphas: Set<Double> = []
        var request = SolverRequest()
        request.allowedDTypes = [.i32]
        for seed in 0..<100 as Range<UInt64> {
            var rng = SeededRNG(seed: seed)
            if case .real(let a)? = solver.solve(request, using: &rng)?.attributes["alpha"] { alphas.insert(a) }
        }
        XCTAssertGreaterThan(alphas.count, 2, "\(alphas)")
    }

    func testGeneratedIntegerGemmsHaveIntegralScales() throws {
        var tally = Tally()
        for dtypes in [[DType.i32, .i64, .u32, .u64], [.f32]] {
            var config = GeneratorConfig()
            config.include = ["Gemm", "Add", "Sub"]
            config.dtypes = Set(dtypes)
            config.maxElements = 4096
            let gen = try ModelGenerator(library: library, config: config)
            for seed in 0..<60 as Range<UInt64> {
                let m = try gen.generate(seed: seed)
                for (node, instance) in zip(m.nodes, try Verifier.verify(m, library: library)) where node.op == "Gemm" {
                    add(instance, &tally, "seed \(seed)")
                }
            }
        }
        XCTAssertEqual(tally.fractionalIntegers, [])
        XCTAssertGreaterThan(tally.integers, 50)
        XCTAssertGreaterThan(tally.fractionalFloats, tally.floats / 2)
    }
}
