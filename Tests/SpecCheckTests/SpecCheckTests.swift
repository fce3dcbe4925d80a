import ModelIR
import Reference
import SpecCheck
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// The `specs test` harness as a library: clean operators pass, and a wrong input to a check is reported as a failure
/// of that check on that instance.
final class SpecCheckTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    /// A case of `op`'s first sampled instance, with its reference outputs and one-node model.
    private func checkedCase(_ op: String) throws -> CheckCase {
        var rng = SeededRNG(seed: 5)
        let instance = try XCTUnwrap(InstanceSampler(spec: try XCTUnwrap(library.spec(named: op))).sample(using: &rng))
        var c = CheckCase(library: library, instance: instance, inputs: DomainInputs.sample(for: instance, using: &rng))
        for check in [OpCheck.evaluate, .outputTypes, .verify] { try check.run(&c) }
        return c
    }

    func testOperatorsPassEveryCheck() throws {
        let run = SpecTestRun(library: library, operators: [try XCTUnwrap(library.spec(named: "Relu")), try XCTUnwrap(library.spec(named: "Add"))],
                              count: 3, seed: 0, onnxruntime: nil, nativeEvery: 3)
        var results: [SpecTester.Result] = []
        let totals = run.run { results.append($0) }
        XCTAssertEqual(results.map(\.op), ["Relu", "Add"])
        XCTAssertEqual(results.flatMap(\.failures).map(\.reason), [])
        XCTAssertEqual(totals.instances, 6)
        XCTAssertEqual(totals.failedOperators, 0)
    }

    func testWrongOutputTypeFailsTheOutputTypesCheck() throws {
        var c = try checkedCase("Relu")
        c.outputs[0] = Tensor.zeros(TensorType(.bool, c.outputs[0].shape))
        XCTAssertThrowsError(try OpCheck.outputTypes.run(&c)) { error in
            XCTAssertTrue("\(error)".hasPrefix("output 0 is bool["), "\(error)")
        }
    }

    func testWrongExpectedOutputsFailDeterminismAndCompiler() throws {
        var c = try checkedCase("Add")
        c.outputs[0].bits[0] ^= 1
        XCTAssertThrowsError(try OpCheck.determinism.run(&c)) { error in
            XCTAssertEqual("\(error)", "output 0 differs between runs (first at element 0)")
        }
        XCTAssertThrowsError(try OpCheck.compiler.run(&c)) { error in
            XCTAssertTrue("\(error)".hasPrefix("VM at O0: output 0 differs from the reference"), "\(error)")
        }
    }

    /// A check that breaks what the checks before it stored: every instance fails at the next check, and the
    /// tester reports the instance, the check and the reason.
    func testTesterReportsEachFailedInstance() throws {
        let tamper = OpCheck(name: "tamper", summary: "replaces the reference outputs with a bool tensor") { c in
            c.outputs = c.outputs.map { Tensor.zeros(TensorType(.bool, $0.shape)) }
        }
        var tester = SpecTester(library: library, spec: try XCTUnwrap(library.spec(named: "Relu")), seed: 1, onnxruntime: nil)
        tester.checks = [.evaluate, tamper, .outputTypes, .verify]
        let result = tester.run(count: 4)
        XCTAssertEqual(result.failures.map(\.index), [0, 1, 2, 3])
        XCTAssertEqual(Set(result.failures.map(\.check)), ["output-types"])
        XCTAssertTrue(result.failures.allSatisfy { $0.instance.hasPrefix("Relu(X: ") }, "\(result.failures.map(\.instance))")
    }
}
