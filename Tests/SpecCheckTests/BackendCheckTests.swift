import Backends
import ModelIR
import Reference
import SpecCheck
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// `specs test --backend`: each named backend's outputs are compared with the reference's on every instance, an
/// instance the backend does not support is skipped and counted, and anything else it does wrong fails the instance.
final class BackendCheckTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    /// A backend that runs the reference and then changes its outputs with `alter` (or fails as `fail` says).
    struct Altered: Backend {
        var name: String
        var library: SpecLibrary
        var computesAs: [DType: DType] = [:]
        var fail: BackendError.Kind?
        var alter: @Sendable ([Tensor]) -> [Tensor] = { $0 }
        var capabilities: BackendCapabilities {
            var c = BackendCapabilities(rounding: .own, isolation: .inProcess, computesAs: computesAs)
            c.notes = []
            return c
        }
        func prepare(_ model: Model) throws -> any PreparedModel {
            if let fail { throw BackendError(backend: name, kind: fail, message: "told to fail") }
            let reference = try ReferenceBackend(library: library).prepare(model)
            return DeferredModel { [alter] in alter(try reference.execute($0)) }
        }
    }

    /// `t` with element e replaced by `f(e, value)`.
    static func mapped(_ t: Tensor, _ f: (Int, Double) -> Double) -> Tensor {
        Tensor(dtype: t.dtype, shape: t.shape, doubles: t.doubles.enumerated().map { f($0.offset, $0.element) })
    }

    private func checkedCase(_ op: String, seed: UInt64 = 3) throws -> CheckCase {
        var rng = SeededRNG(seed: seed)
        let instance = try XCTUnwrap(InstanceSampler(spec: try XCTUnwrap(library.spec(named: op))).sample(using: &rng))
        var c = CheckCase(library: library, instance: instance, inputs: DomainInputs.sample(for: instance, using: &rng))
        for check in [OpCheck.evaluate, .outputTypes, .verify] { try check.run(&c) }
        return c
    }

    func testABackendThatAgreesPasses() throws {
        var c = try checkedCase("Tanh")
        c.backends = [("same", Altered(name: "same", library: library))]
        XCTAssertNoThrow(try OpCheck.backends.run(&c))
        XCTAssertEqual(c.skipped, [])
    }

    func testAWrongValueFailsNamingTheBackendAndElement() throws {
        var c = try checkedCase("Tanh")
        c.backends = [("same", Altered(name: "same", library: library)),
                      ("off", Altered(name: "off", library: library, alter: { outs in [BackendCheckTests.mapped(outs[0]) { $0 == 1 ? $1 + 0.5 : $1 }] }))]
        XCTAssertThrowsError(try OpCheck.backends.run(&c)) { error in
            XCTAssertTrue("\(error)".hasPrefix("off output 0 differs at element 1:"), "\(error)")
        }
    }

    func testAWrongDtypeFailsEvenWhenTheValuesAgree() throws {
        var c = try checkedCase("Relu")
        let type = c.outputs[0].type
        let wide = TensorType(type.dtype == .f64 ? .f32 : .f64, type.shape)
        c.backends = [("wide", Altered(name: "wide", library: library, alter: { outs in
            [Tensor(dtype: wide.dtype, shape: wide.shape, doubles: (0..<outs[0].count).map { outs[0].double(at: $0) })]
        }))]
        XCTAssertThrowsError(try OpCheck.backends.run(&c)) { error in
            XCTAssertEqual("\(error)", "wide output 0 is \(wide), the reference's \(type)")
        }
    }

    func testUnsupportedIsSkippedAndCountedButAnErrorFails() throws {
        var c = try checkedCase("Relu")
        c.backends = [("partial", Altered(name: "partial", library: library, fail: .unsupported))]
        XCTAssertNoThrow(try OpCheck.backends.run(&c))
        XCTAssertEqual(c.skipped, ["partial"])
        c.backends = [("broken", Altered(name: "broken", library: library, fail: .error))]
        XCTAssertThrowsError(try OpCheck.backends.run(&c)) { error in
            XCTAssertTrue("\(error)".contains("broken: error: told to fail"), "\(error)")
        }
    }

    /// A backend that documents computing f64 as f32 is held to f32's tolerance on f64 outputs, not f64's: a relative
    /// error of 3e-6 fails the one and passes the other.
    func testDocumentedLowerPrecisionWidensTheTolerance() throws {
        let seed = try XCTUnwrap((UInt64(0)..<200).first { (try? checkedCase("Tanh", seed: $0).outputs[0].dtype) == .f64 })
        var c = try checkedCase("Tanh", seed: seed)
        let roundToF32: @Sendable ([Tensor]) -> [Tensor] = { outs in [BackendCheckTests.mapped(outs[0]) { Double(Float($1)) * (1 + 3e-6) }] }
        c.backends = [("f32-inside", Altered(name: "f32-inside", library: library, alter: roundToF32))]
        XCTAssertThrowsError(try OpCheck.backends.run(&c), "f64 results rounded to f32 are outside f64's tolerance")
        c.backends = [("f32-inside", Altered(name: "f32-inside", library: library, computesAs: [.f64: .f32], alter: roundToF32))]
        XCTAssertNoThrow(try OpCheck.backends.run(&c))
    }

    /// The run's totals add up what each backend skipped over every operator.
    func testTotalsCountSkippedInstancesPerBackend() throws {
        var run = SpecTestRun(library: library, operators: [try XCTUnwrap(library.spec(named: "Relu")), try XCTUnwrap(library.spec(named: "Neg"))],
                              count: 2, seed: 0, onnxruntime: nil, nativeEvery: 100)
        run.backends = [("partial", Altered(name: "partial", library: library, fail: .unsupported))]
        let totals = run.run { _ in }
        XCTAssertEqual(totals.failedOperators, 0)
        XCTAssertEqual(totals.skipped["partial"], 4)
    }
}
