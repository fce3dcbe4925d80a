import LoopIR
import TensorCore

/// Several lowered models compiled into one shared object with one C compiler run (the compiler's start-up dominates
/// small files), each then run on its own.
public struct NativeBatch: Sendable {
    /// The lowered models, in the order given.
    public let models: [LoweredModel]
    let program: NativeProgram
    /// The index in `program` of each model's first operator.
    let firstOp: [Int]

    /// Compiles every operator of `models` into one program, at the C compiler's `optimization` flag.
    public init(_ models: [LoweredModel], optimization: String = "-O1") throws {
        self.models = models
        program = try NativeProgram(models.flatMap(\.ops), optimization: optimization)
        var first: [Int] = [], n = 0
        for m in models {
            first.append(n)
            n += m.ops.count
        }
        firstOp = first
    }

    /// Runs model `k` on `inputs` (by input name).
    public func run(_ k: Int, inputs: [String: Tensor]) throws -> [Tensor] {
        let base = firstOp[k]
        return try models[k].run(inputs: inputs) { j, values in try program.run(op: base + j, inputs: values) }
    }

    /// Runs `model` on the VM, operator by operator: the same steps, on the loop-IR interpreter.
    public static func runOnVM(_ model: LoweredModel, inputs: [String: Tensor]) throws -> [Tensor] {
        // Read once: `ops` is computed, and reading it per step made a run of N operators O(N²).
        let ops = model.ops
        return try model.run(inputs: inputs) { j, values in try VM.run(ops[j], inputs: values) }
    }
}
