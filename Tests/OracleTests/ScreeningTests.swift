import Backends
import Foundation
import ModelIR
import Reference
import Synchronization
import TensorCore
import XCTest
@testable import Oracle

/// How many times each backend prepared a model.
final class RunCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func add(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    func count(_ name: String) -> Int { counts.withLock { $0[name] ?? 0 } }
}

/// A backend that screens: its outputs are the reference's times `factor`, and a run that does not pass is
/// confirmed on `exact`.
struct ScreeningFake: Backend {
    var name: String
    var factor: Double
    var exact: (any Backend)?
    var counter: RunCounter
    var capabilities: BackendCapabilities { .inRepo }
    var confirmation: (any Backend)? { exact }

    func prepare(_ model: Model) throws -> any PreparedModel {
        counter.add(name)
        let factor = self.factor
        return DeferredModel { inputs in
            try Interpreter.outputs(model, library: specLibrary, inputs: inputs).map {
                Tensor(dtype: $0.dtype, shape: $0.shape, doubles: $0.doubles.map { $0 * factor })
            }
        }
    }
}

/// A screening backend's failure is judged on its exact build; its passes stand without one.
final class ScreeningTests: XCTestCase {
    let oracle = Oracle(library: specLibrary)
    let model = try! TextReader.read("""
        graphsmith-model 1
        input x: f64[4]
        node y: f64[4] = Exp(x)
        output y
        """)
    let inputs = ["x": Tensor(dtype: .f64, shape: [4], doubles: [0.1, 0.2, 1.0 / 3, -0.7])]

    func judged(screen: Double, exact: Double?, counter: RunCounter) throws -> (BackendRun, Judgement) {
        let confirming = exact.map { ScreeningFake(name: "exact", factor: $0, exact: nil, counter: counter) }
        let backend = ScreeningFake(name: "screen", factor: screen, exact: confirming, counter: counter)
        let reference = try Interpreter.run(model, library: specLibrary, inputs: inputs)
        let expected = model.outputs.map { reference[$0]! }
        let named: [NamedBackend] = [(name: "native-O3", backend: backend)]
        let runs = oracle.runAll(named, model: model, inputs: inputs, reference: reference, expected: expected)
        return (runs[0], oracle.judge(runs, backends: named, model: model, inputs: inputs, reference: reference, expected: expected))
    }

    func testAScreenedFailureTheExactBuildDoesNotRepeatIsAPass() throws {
        let counter = RunCounter()
        let (run, j) = try judged(screen: 2, exact: 1, counter: counter)
        XCTAssertEqual(run.verdict, .pass, run.message)
        XCTAssertEqual(run.backend, "native-O3")
        XCTAssertEqual(j.verdict, .pass)
        XCTAssertEqual(counter.count("exact"), 1)
    }

    func testAConfirmedFailureIsLocalizedOnTheExactBuild() throws {
        let counter = RunCounter()
        let (run, j) = try judged(screen: 2, exact: 3, counter: counter)
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertEqual(j.verdict, .mismatch)
        XCTAssertEqual(j.backends, ["native-O3"])
        XCTAssertEqual(j.operators, ["Exp"])
        // The screen ran once; localizing the failure reran the exact build, not the screen.
        XCTAssertEqual(counter.count("screen"), 1)
        XCTAssertGreaterThan(counter.count("exact"), 1)
    }

    func testAScreenedPassIsNotConfirmed() throws {
        let counter = RunCounter()
        let (run, j) = try judged(screen: 1, exact: 3, counter: counter)
        XCTAssertEqual(run.verdict, .pass)
        XCTAssertEqual(j.verdict, .pass)
        XCTAssertEqual(counter.count("exact"), 0)
    }

    func testABackendWithoutConfirmationKeepsItsFailure() throws {
        let counter = RunCounter()
        let (run, _) = try judged(screen: 2, exact: nil, counter: counter)
        XCTAssertEqual(run.verdict, .mismatch)
        XCTAssertGreaterThan(counter.count("screen"), 1, "the failure is localized on the backend itself")
    }
}
