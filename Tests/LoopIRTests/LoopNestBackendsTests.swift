import TensorCore
import XCTest
@testable import LoopIR

/// The VM and the C emitter walk the same loop nest: on every schedule, with the correct transformations and with
/// each faulty one, native code stores the same elements at the same positions as the VM.
final class LoopNestBackendsTests: XCTestCase {
    static let shapes: [[Int]] = [[19], [3, 10], [7, 4], [2, 3, 9]]
    static let variants: [LoopTransforms] = [LoopTransforms()] + [Fault.tileRemainderDropped, .vectorTailDropped, .unrollRemainderShort, .reorderWrongStride]
        .map { LoweringVariants(injecting: [$0]).loops }

    /// One operator whose output element at index `i` is `1 + Σ i[d] · 100^(rank-1-d)` (never 0), stored by a kernel
    /// with schedule `s`; a first kernel fills the output with 0, so native code leaves an element it skips at 0,
    /// as the VM does.
    func op(_ shape: [Int], _ s: LoopSchedule, _ loops: LoopTransforms) -> LoweredOp {
        let value = shape.indices.reduce(LExpr.int(1)) { e, d in
            .binary("+", e, .binary("*", .slot(d), .int(shape[(d + 1)...].reduce(1) { p, _ in p * 100 })))
        }
        let fill = Kernel(name: "fill", target: 0, shape: shape, body: .int(0), dtype: .i64, slotCount: shape.count)
        var store = Kernel(name: "store", target: 0, shape: shape, body: value, dtype: .i64, slotCount: shape.count)
        store.schedule = s
        var o = LoweredOp(op: "index", bufferShapes: [shape], inputCount: 0, inputTypes: [], outputBuffers: [0],
                          outputTypes: [TensorType(.i64, shape)], kernels: [fill, store])
        o.loops = loops
        return o
    }

    func testNativeCodeStoresWhatTheVMStoresOnEveryScheduleAndVariant() throws {
        var cases: [(String, LoweredOp)] = []
        for shape in Self.shapes {
            for s in LoopNestTests.schedules where s.tile != 3 {
                for (k, loops) in Self.variants.enumerated() { cases.append(("\(shape) \(s) variant \(k)", op(shape, s, loops))) }
            }
        }
        // One shared object for all of them, unoptimized: one quick compiler run.
        let program = try NativeProgram(cases.map(\.1), optimization: "-O0")
        var failures: [String] = []
        var faultyDiffers = 0
        for (k, (name, op)) in cases.enumerated() {
            let vm = try VM.run(op, inputs: []), native = try program.run(op: k, inputs: [])
            if vm != native { failures.append("\(name): vm \(vm[0].scalars.prefix(12)) native \(native[0].scalars.prefix(12))") }
            let expected = Tensor(dtype: .i64, shape: op.bufferShapes[0], ints: LoopNestTests.rowMajor(op.bufferShapes[0]).map { i in
                Int64(i.reduce(0) { $0 * 100 + $1 } + 1)
            })
            if op.loops == LoopTransforms() && vm != [expected] { failures.append("\(name): the correct nest computes \(vm[0].scalars.prefix(12))") }
            if op.loops != LoopTransforms() && vm != [expected] { faultyDiffers += 1 }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(cases.count) differ:\n" + failures.prefix(10).joined(separator: "\n"))
        XCTAssertGreaterThan(faultyDiffers, 100, "the faulty variants change results where their loops run")
    }
}
