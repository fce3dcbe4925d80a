import Backends
import Compiler
import LoopIR
import ModelIR
import Reference
import TensorCore
import XCTest

/// At O3 a fusion group runs as one lowered operator, and with inlining as one loop nest; every variant agrees
/// with the reference.
final class FusedExecutionTests: XCTestCase {
    func lowered(_ disabled: Set<String>) throws -> [LoweredOp] {
        let backend = CompilerBackend(library: specLibrary, level: .O3, disabledPasses: disabled)
        let compiled = try backend.compile(try model(OperatorFusionTests.before))
        return try LoweredModel(compiled.model, library: specLibrary, groups: compiled.kernelGroups, options: backend.lowering).ops
    }

    func testTheFusedGroupIsOneOperatorAndOneKernel() throws {
        // Groups [v] [e, m, r, s] [t] [u] (see OperatorFusionTests): four operators.
        let fused = try lowered([])
        XCTAssertEqual(fused.map(\.op), ["Sigmoid", "Exp+MatMul+Relu+Add", "Neg", "Sigmoid"])
        XCTAssertEqual(fused[1].kernels.count, 1)
        let staged = try lowered([ProducerInlining.name])
        XCTAssertEqual(staged[1].kernels.map(\.name), ["Y", "Y", "Y", "C"], "Exp, MatMul, Relu as stages, then Add")
        XCTAssertEqual(try lowered([OperatorFusion.pass.name]).count, 7)
    }

    func testEveryVariantAgreesWithTheReference() throws {
        let m = try model(OperatorFusionTests.before)
        let inputs = m.randomInputs(seed: 3)
        let expected = try Interpreter.outputs(m, library: specLibrary, inputs: inputs)
        for disabled: Set<String> in [[], [ProducerInlining.name], [IndexSimplification.name], [BufferReuse.name], [OperatorFusion.pass.name]] {
            for executor in [CompilerBackend.Executor.vm, .native] {
                let b = CompilerBackend(library: specLibrary, level: .O3, disabledPasses: disabled, executor: executor)
                let actual = try b.run(m, inputs: inputs)
                for (a, e) in zip(actual, expected) {
                    XCTAssertTrue(Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype)).passed, "\(executor) without \(disabled)")
                }
            }
        }
    }
}
