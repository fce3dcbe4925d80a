import TensorCore
import XCTest
@testable import LoopIR

/// Unrolled and vector chunks run their lanes' reductions in one loop, one accumulator per lane: bit for bit what
/// one reduction after another gives, on every schedule; and a reduction whose evaluation could set an error, or
/// that reads what the kernel writes, is left as it is.
final class ReductionJamTests: XCTestCase {
    static let shape = [3, 10], extent = 5

    /// out[i, j] = f32(sum over r of x[i, j, r] * x[i, j, r]) + 1, as one kernel with schedule `s`.
    func op(_ s: LoopSchedule, body: LExpr? = nil) -> LoweredOp {
        let offset = LExpr.binary("+", .binary("*", .binary("+", .binary("*", .slot(0), .int(10)), .slot(1)), .int(Self.extent)), .slot(2))
        let x = LExpr.load(buffer: 0, offset: offset, inBounds: .const(.bool(true)), fallback: nil)
        let sum = LExpr.reduce("sum", slots: [2], extents: [Self.extent], body: body ?? .binary("*", x, x))
        var kernel = Kernel(name: "sum", target: 1, shape: Self.shape, body: .binary("+", .cast(.f32, sum), .const(.float(1))),
                            dtype: .f32, slotCount: 3)
        kernel.schedule = s
        return LoweredOp(op: "sum", bufferShapes: [Self.shape + [Self.extent], Self.shape], inputCount: 1,
                         inputTypes: [TensorType(.f32, Self.shape + [Self.extent])], outputBuffers: [1],
                         outputTypes: [TensorType(.f32, Self.shape)], kernels: [kernel])
    }

    /// Values whose sums depend on the order of additions (large and small magnitudes of both signs).
    let input: Tensor = {
        let magnitudes: [Double] = [1e18, 1, -1e18, 3.25e-3, 7e9]
        var values: [Double] = []
        for k in 0..<(3 * 10 * 5) {
            let scale: Double = k % 3 == 0 ? -1.5 : 1.25
            values.append(Double(Float(magnitudes[k % 5] * scale)))
        }
        return Tensor(dtype: .f32, shape: [3, 10, 5], doubles: values)
    }()

    func testJammedChunksStoreWhatTheVMStoresOnEverySchedule() throws {
        var ops: [LoweredOp] = []
        for tile in [0, 4] {
            for unroll in [0, 2, 3] {
                for vector in [0, 4] {
                    var s = LoopSchedule()
                    (s.tile, s.unroll, s.vector) = (tile, unroll, vector)
                    ops.append(op(s))
                }
            }
        }
        let source = try CEmitter.emit(ops).source
        XCTAssertTrue(source.contains("jam3 = -0.0"), "a vector chunk of four lanes runs one jammed loop")
        let program = try NativeProgram(ops)
        for (k, o) in ops.enumerated() {
            let vm = try VM.run(o, inputs: [input]), native = try program.run(op: k, inputs: [input])
            XCTAssertEqual(vm[0].bits, native[0].bits, "schedule \(o.kernels[0].schedule)")
        }
    }

    func testOnlyAReductionThatCannotFailIsSplit() {
        var s = LoopSchedule()
        s.vector = 4
        let plain = op(s).kernels[0]
        XCTAssertNotNil(ReductionJam.of(plain, firstFreeSlot: 5))
        XCTAssertEqual(ReductionJam.of(plain, firstFreeSlot: 5)?.hole, 5)
        let checked = LExpr.load(buffer: 0, offset: .slot(2), inBounds: .binary("<", .slot(2), .int(3)), fallback: nil)
        let padded = LExpr.load(buffer: 0, offset: .slot(2), inBounds: .binary("<", .slot(2), .int(3)), fallback: .const(.float(0)))
        XCTAssertNil(ReductionJam.of(op(s, body: checked).kernels[0], firstFreeSlot: 5), "a failing read sets an error")
        XCTAssertNotNil(ReductionJam.of(op(s, body: padded).kernels[0], firstFreeSlot: 5), "a padded read cannot fail")
        XCTAssertNil(ReductionJam.of(op(s, body: .binary("/", padded, .slot(2))).kernels[0], firstFreeSlot: 5))
        var ownTarget = plain
        ownTarget.body = .reduce("sum", slots: [2], extents: [5], body: .load(buffer: 1, offset: .slot(2), inBounds: .const(.bool(true)), fallback: nil))
        XCTAssertNil(ReductionJam.of(ownTarget, firstFreeSlot: 5), "reads what the kernel writes")
        var two = plain
        two.body = .binary("+", plain.body, plain.body)
        XCTAssertNil(ReductionJam.of(two, firstFreeSlot: 5), "two reductions")
        var empty = plain
        empty.body = .reduce("sum", slots: [2], extents: [0], body: .const(.float(1)))
        XCTAssertNil(ReductionJam.of(empty, firstFreeSlot: 5), "over no values: the identity, no loop")
    }
}
