import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// Every node (or fusion group) lowered to loop-IR kernels, the whole model emitted as one C file, compiled by
/// the system C compiler (cached by content hash) and run natively.
public struct NativeBackend: Backend {
    public let library: SpecLibrary
    /// Loop-pass level, disabled passes and injected faults for lowering.
    public let options: LoweringOptions
    public var name: String { "native" }

    public init(library: SpecLibrary, options: LoweringOptions = LoweringOptions()) {
        self.library = library
        self.options = options
    }

    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        try run(model, inputs: inputs, groups: nil)
    }

    /// Runs `model` with each group of node indices (members in order, root last) compiled as one function.
    public func run(_ model: Model, inputs: [String: Tensor], groups: [[Int]]?) throws -> [Tensor] {
        try NodeExecution.run(model, inputs: inputs, library: library, backend: name, groups: groups, options: options) { lowered in
            let program = try NativeProgram(lowered)
            return { k, values in try program.run(op: k, inputs: values) }
        }
    }
}
