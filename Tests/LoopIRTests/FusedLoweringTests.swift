import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import LoopIR
@testable import Reference

/// A fused group lowered to one operator: the loop IR with `inline-injective-producers` off and on, results
/// against the members run one by one, and the schedule passes that act on it.
final class FusedLoweringTests: XCTestCase {
    let library = try! SpecLibrary.load(directory: repositorySpecs)

    func instance(_ op: String, _ inputs: [TensorType]) throws -> OpInstance {
        try XCTUnwrap(library.spec(named: op)).instantiate(inputs: inputs, attributes: [:])
    }

    func texts(_ op: LoweredOp) -> [String] { op.kernels.map { "b\($0.target) = \($0.body)" } }

    /// Relu then Neg on f32[2, 3]: buffers b0 (x), b1 (Relu's result), b2 (the output).
    func reluNeg(_ options: LoweringOptions) throws -> LoweredOp {
        let t = TensorType(.f32, [2, 3])
        let members = [FusedMember(instance: try instance("Relu", [t]), inputs: [.external(0)]),
                       FusedMember(instance: try instance("Neg", [t]), inputs: [.member(0)])]
        return try FusedLowering.lower(members, inputTypes: [t], options: options)
    }

    func testInliningTurnsAChainIntoOneKernel() throws {
        let off = try reluNeg(LoweringOptions(level: 3, disabledPasses: [ProducerInlining.name]))
        XCTAssertEqual(texts(off), ["b1 = f32(max(b0[((i0 * 3) + i1)], 0))", "b2 = -b1[((i0 * 3) + i1)]"])
        let on = try reluNeg(LoweringOptions(level: 3))
        XCTAssertEqual(texts(on), ["b2 = -f32(max(b0[((i0 * 3) + i1)], 0))"])
        XCTAssertEqual(on.bufferShapes[1], [0], "the intermediate needs no storage")
    }

    func testInliningWithoutIndexSimplificationKeepsTheDelinearizedOffset() throws {
        let on = try reluNeg(LoweringOptions(level: 3, disabledPasses: [IndexSimplification.name]))
        XCTAssertEqual(texts(on).count, 1)
        // Relu's i0 and i1 recovered from Neg's offset o = i0 * 3 + i1 * 1 as o / 3 and (o / 1) % 3, behind a bounds
        // check that guards with a read that can only fail (b1[0]).
        XCTAssertTrue(texts(on)[0].contains("(((i0 * 3) + (i1 * 1)) / 3)"), texts(on)[0])
        XCTAssertTrue(texts(on)[0].contains("((((i0 * 3) + (i1 * 1)) / 1) % 3)"), texts(on)[0])
        XCTAssertTrue(texts(on)[0].hasSuffix(": b1[0])"), texts(on)[0])
    }

    /// MatMul's reduction with a Relu epilogue: one kernel, the sum inside the max.
    func testAReductionEpilogueIsInlined() throws {
        let a = TensorType(.f32, [2, 3]), b = TensorType(.f32, [3, 4])
        let members = [FusedMember(instance: try instance("MatMul", [a, b]), inputs: [.external(0), .external(1)]),
                       FusedMember(instance: try instance("Relu", [TensorType(.f32, [2, 4])]), inputs: [.member(0)])]
        let op = try FusedLowering.lower(members, inputTypes: [a, b], options: LoweringOptions(level: 3))
        XCTAssertEqual(texts(op).count, 1)
        // The root stores with its own rounding; the inlined MatMul rounds its sum to f32 as its tensor would.
        XCTAssertTrue(texts(op)[0].hasPrefix("b3 = max(f32(sum("), texts(op)[0])
    }

    /// Fused, inlined and scheduled, the group computes what the members compute one after the other, bit for bit.
    func testFusedResultsEqualTheMembersRunAlone() throws {
        var rng = SeededRNG(seed: 5)
        let x = Tensor(dtype: .f32, shape: [2, 3], doubles: (0..<6).map { _ in rng.nextUnit() * 4 - 2 })
        let relu = try VM.run(try Lowering.lower(try instance("Relu", [x.type])), inputs: [x])
        let expected = try VM.run(try Lowering.lower(try instance("Neg", [x.type])), inputs: relu)
        for level in 0...3 {
            let op = try reluNeg(LoweringOptions(level: level))
            XCTAssertEqual(try VM.run(op, inputs: [x]), expected, "VM at level \(level)")
            XCTAssertEqual(try NativeProgram([op]).run(op: 0, inputs: [x]), expected, "native at level \(level)")
        }
    }

    func testLargeKernelsRunInParallelInNativeCode() throws {
        let big = try Lowering.lower(try instance("Relu", [TensorType(.f32, [256, 256])]), options: LoweringOptions(level: 3))
        XCTAssertTrue(big.kernels[0].schedule.parallel)
        XCTAssertTrue(try CEmitter.emit([big]).source.contains("#pragma omp parallel for"))
        let serial = try Lowering.lower(try instance("Relu", [TensorType(.f32, [256, 256])]),
                                        options: LoweringOptions(level: 3, disabledPasses: ["loop-parallelize"]))
        XCTAssertFalse(serial.kernels[0].schedule.parallel)
        XCTAssertFalse(try CEmitter.emit([serial]).source.contains("#pragma omp"))
        let small = try Lowering.lower(try instance("Relu", [TensorType(.f32, [4, 4])]), options: LoweringOptions(level: 3))
        XCTAssertFalse(small.kernels[0].schedule.parallel)
        var rng = SeededRNG(seed: 9)
        let x = Tensor(dtype: .f32, shape: [256, 256], doubles: (0..<65_536).map { _ in rng.nextUnit() - 0.5 })
        XCTAssertEqual(try NativeProgram([big]).run(op: 0, inputs: [x]), try VM.run(serial, inputs: [x]))
    }
}
