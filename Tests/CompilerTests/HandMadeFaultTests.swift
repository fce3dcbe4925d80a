import Backends
import Compiler
import LoopIR
import ModelIR
import Reference
import TensorCore
import XCTest

/// Faults that need a particular model shape, each on a model made for it: the faulty compiler gives the
/// result of a different, stated model (or an error), and the correct compiler gives the reference's.
final class HandMadeFaultTests: XCTestCase {
    let x = Tensor(dtype: .f32, shape: [3, 3, 2], doubles: (0..<18).map { Double($0) - 8.5 })

    func reference(_ text: String) throws -> [Tensor] {
        try Interpreter.outputs(try model(text), library: specLibrary, inputs: ["x": x])
    }

    func run(_ text: String, _ level: OptimizationLevel, _ faults: Set<Fault>, _ executor: CompilerBackend.Executor = .vm) throws -> [Tensor] {
        try CompilerBackend(library: specLibrary, level: level, executor: executor, faults: faults).run(try model(text), inputs: ["x": x])
    }

    /// The transpose swaps the two equal outer dims of a rank-4 tensor and keeps its last two axes in place.
    func testLayoutRewriteAtTheWrongRankDropsATranspose() throws {
        let x4 = Tensor(dtype: .f32, shape: [3, 3, 1, 2], doubles: (0..<18).map { Double($0) - 8.5 })
        func outputs(_ text: String, _ backend: CompilerBackend?) throws -> [Tensor] {
            guard let b = backend else { return try Interpreter.outputs(try model(text), library: specLibrary, inputs: ["x": x4]) }
            return try b.run(try model(text), inputs: ["x": x4])
        }
        let text = """
            graphsmith-model 1
            input x: f32[3, 3, 1, 2]
            node t: f32[3, 3, 1, 2] = Transpose(x) {perm = [1, 0, 2, 3]}
            node y: f32[3, 3, 1, 2] = Neg(t)
            output y
            """
        let withoutTranspose = try outputs("""
            graphsmith-model 1
            input x: f32[3, 3, 1, 2]
            node y: f32[3, 3, 1, 2] = Neg(x)
            output y
            """, nil)
        let faulty = CompilerBackend(library: specLibrary, level: .O2, faults: [.layoutRewriteWrongRank])
        XCTAssertEqual(try outputs(text, faulty), withoutTranspose)
        XCTAssertEqual(try outputs(text, CompilerBackend(library: specLibrary, level: .O2)), try outputs(text, nil))
        XCTAssertNotEqual(try outputs(text, nil), withoutTranspose)
    }

    /// `a` has two readers; the faulty fusion puts both in one group, so the reader `b` (an output) is never stored.
    func testFusionAcrossAValueWithSeveralReadersLosesIt() throws {
        let text = """
            graphsmith-model 1
            input x: f32[3, 3, 2]
            node a: f32[3, 3, 2] = Relu(x)
            node b: f32[3, 3, 2] = Neg(a)
            node c: f32[3, 3, 2] = Exp(a)
            output b
            output c
            """
        for executor in [CompilerBackend.Executor.vm, .native] {
            XCTAssertThrowsError(try run(text, .O3, [.fusionMultiConsumer], executor)) { error in
                XCTAssertTrue("\(error)".contains("never computed"), "\(error)")
            }
            XCTAssertEqual(try run(text, .O3, [], executor), try reference(text))
        }
    }

    /// `a` is read by `b` and by `d`; the faulty plan frees it at `b`, which takes its storage in place, so `d` reads `b`.
    func testBufferReusedWhileLiveReadsTheNextValue() throws {
        func text(_ d: String) -> String {
            """
            graphsmith-model 1
            input x: f32[3, 3, 2]
            node a: f32[3, 3, 2] = Neg(x)
            node b: f32[3, 3, 2] = Exp(a)
            node c: f32[3, 3, 2] = Sigmoid(x)
            node d: f32[3, 3, 2] = Add(\(d), c)
            node e: f32[3, 3, 2] = Add(b, d)
            output e
            """
        }
        for executor in [CompilerBackend.Executor.vm, .native] {
            XCTAssertEqual(try run(text("a"), .O1, [.bufferReusedWhileLive], executor), try reference(text("b")))
            XCTAssertEqual(try run(text("a"), .O1, [], executor), try reference(text("a")))
            // With the pass off, the faulty planner is not used at all.
            let off = CompilerBackend(library: specLibrary, level: .O1, disabledPasses: [BufferReuse.name], executor: executor,
                                      faults: [.bufferReusedWhileLive])
            XCTAssertEqual(try off.run(try model(text("a")), inputs: ["x": x]), try reference(text("a")))
        }
    }
}
