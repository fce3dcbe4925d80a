import SpecLang
import TensorCore
import XCTest
@testable import LoopIR

/// The bit functions of the scalar table (`bitand`, `bitor`, `bitxor`, `shl`, `shr`) on edge values, in the table the
/// reference interpreter calls, in the compiler's VM and in native code, against results worked out by hand.
final class BitFunctionsTests: XCTestCase {
    static let top: UInt64 = 0x8000_0000_0000_0000
    /// (function, a, b, the result by hand): signed, unsigned above 2^63, mixed; shifts 0, 63, 64 and negative.
    static let cases: [(String, Scalar, Scalar, Scalar)] = [
        ("bitand", .int(-1), .int(0), .int(0)),
        ("bitand", .int(-1), .int(.min), .int(.min)),
        ("bitor", .int(.max), .int(.min), .int(-1)),
        ("bitxor", .int(-1), .int(.max), .int(.min)),
        ("bitxor", .int(6), .int(3), .int(5)),
        ("bitand", .uint(.max), .uint(top | 1), .uint(top | 1)),
        ("bitor", .uint(top), .uint(1), .uint(top | 1)),
        ("bitxor", .uint(0xF0F0_F0F0_F0F0_F0F0), .uint(.max), .uint(0x0F0F_0F0F_0F0F_0F0F)),
        ("bitand", .uint(top), .int(-1), .int(.min)),
        ("shl", .int(-1), .int(0), .int(-1)),
        ("shl", .int(1), .int(63), .int(.min)),
        ("shl", .int(3), .int(63), .int(.min)),
        ("shl", .int(.max), .int(1), .int(-2)),
        ("shl", .int(5), .int(64), .int(0)),
        ("shl", .int(5), .int(-1), .int(0)),
        ("shl", .uint(0xC000_0000_0000_0000), .uint(1), .uint(top)),
        ("shl", .uint(1), .uint(63), .uint(top)),
        ("shl", .uint(1), .uint(top), .uint(0)),
        ("shr", .int(.min), .int(63), .int(-1)),
        ("shr", .int(-7), .int(1), .int(-4)),
        ("shr", .int(.max), .int(62), .int(1)),
        ("shr", .int(-5), .int(64), .int(-1)),
        ("shr", .int(5), .int(-3), .int(0)),
        ("shr", .int(-5), .int(-3), .int(-1)),
        ("shr", .int(-5), .int(0), .int(-5)),
        ("shr", .uint(top), .uint(63), .uint(1)),
        ("shr", .uint(.max), .uint(0), .uint(.max)),
        ("shr", .uint(.max), .uint(1), .uint(.max >> 1)),
        ("shr", .uint(.max), .uint(64), .uint(0)),
        ("shr", .uint(.max), .uint(top), .uint(0)),
    ]

    static func dtype(_ s: Scalar) -> DType {
        if case .uint = s { return .u64 }
        return .i64
    }

    /// `out[0] = f(in0[0], in1[0])`, reading both arguments from input buffers so nothing folds them.
    static func op(_ f: String, _ a: Scalar, _ b: Scalar, _ result: Scalar) -> LoweredOp {
        let load = { (k: Int) in LExpr.load(buffer: k, offset: .int(0), inBounds: .const(.bool(true)), fallback: nil) }
        let kernel = Kernel(name: f, target: 2, shape: [1], body: .call(f, [load(0), load(1)]), dtype: dtype(result), slotCount: 1)
        return LoweredOp(op: f, bufferShapes: [[1], [1], [1]], inputCount: 2,
                         inputTypes: [TensorType(dtype(a), [1]), TensorType(dtype(b), [1])], outputBuffers: [2],
                         outputTypes: [TensorType(dtype(result), [1])], kernels: [kernel])
    }

    static func inputs(_ a: Scalar, _ b: Scalar) -> [Tensor] {
        [Tensor(dtype: dtype(a), shape: [1], scalars: [a]), Tensor(dtype: dtype(b), shape: [1], scalars: [b])]
    }

    func testTheTableComputesTheHandResults() throws {
        for (f, a, b, expected) in Self.cases {
            let r = try XCTUnwrap(ScalarSemantics.functions[f]).apply([a, b])
            XCTAssertEqual(r, expected, "\(f)(\(a), \(b))")
        }
    }

    func testVMAndNativeCodeComputeTheHandResults() throws {
        let ops = Self.cases.map { Self.op($0.0, $0.1, $0.2, $0.3) }
        let program = try NativeProgram(ops)
        for (k, (f, a, b, expected)) in Self.cases.enumerated() {
            let want = [Tensor(dtype: Self.dtype(expected), shape: [1], scalars: [expected])]
            XCTAssertEqual(try VM.run(ops[k], inputs: Self.inputs(a, b)), want, "VM \(f)(\(a), \(b))")
            XCTAssertEqual(try program.run(op: k, inputs: Self.inputs(a, b)), want, "native \(f)(\(a), \(b))")
        }
    }

    func testFloatsAreRefusedAndTheGradientIsZero() throws {
        for f in ["bitand", "bitor", "bitxor", "shl", "shr"] {
            XCTAssertThrowsError(try ScalarSemantics.functions[f]!.apply([.float(1), .int(1)]), f)
            XCTAssertEqual(ScalarDerivatives.functions[f]?.partials([3, 1], proxy: true), [0, 0], f)
        }
    }
}
