import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore

/// A failure while lowering or running a compiled model (a graph-pass failure is a `PassError` instead).
public struct ExecutionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What runs a compiled model: the loop-IR VM, native code from the C emitter, or the reference evaluator (which
/// tests the graph passes alone).
public enum Executor: String, Sendable, CaseIterable, Codable {
    case vm, native, reference

    /// Runs `compiled` on `inputs`: lowers each fusion group (each node when fusion did not run) with `lowering`,
    /// then runs the kernels. Lowering and run failures are `ExecutionError`s; a lowering failure says `compile:`.
    /// Native code is built by the compiler `build` chooses.
    public func run(_ compiled: CompiledModel, inputs: [String: Tensor],
                    lowering: LoweringOptions, build: NativeBuild = .exact) throws -> [Tensor] {
        switch self {
        case .reference:
            do { return try Interpreter.outputs(compiled.typed, inputs: inputs) } catch let e as ReferenceError {
                throw ExecutionError(e.message)
            }
        case .vm, .native:
            let lowered: LoweredModel
            let runStep: (Int, [Tensor]) throws -> [Tensor]
            do {
                lowered = try LoweredModel(compiled.typed, groups: compiled.kernelGroups, options: lowering)
                runStep = try prepare(lowered.ops, build: build)
            } catch {
                throw ExecutionError("compile: \(error)")
            }
            return try lowered.run(inputs: inputs, runStep: runStep)
        }
    }

    /// A function running step `k` of the lowered operators on this executor (native code is compiled here).
    private func prepare(_ ops: [LoweredOp], build: NativeBuild) throws -> (_ step: Int, _ inputs: [Tensor]) throws -> [Tensor] {
        switch self {
        case .native:
            let program = try NativeProgram(ops, build: build)
            return { k, values in try program.run(op: k, inputs: values) }
        case .vm, .reference:
            return { k, values in try VM.run(ops[k], inputs: values) }
        }
    }
}

extension CompiledModel {
    /// The groups the kernel executors run as one operator each: nil (every node alone) unless fusion ran.
    public var kernelGroups: [[Int]]? {
        passesRun.contains(OperatorFusion.pass.name) ? fusion.groups.map(\.nodes) : nil
    }
}
