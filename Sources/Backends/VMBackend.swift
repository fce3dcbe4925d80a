import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// Every node (or fusion group) lowered to loop-IR kernels and run on the closure-compiled VM.
public struct VMBackend: Backend {
    public let library: SpecLibrary
    /// Loop-pass level, disabled passes and injected faults for lowering.
    public let options: LoweringOptions
    public var name: String { "vm" }

    public init(library: SpecLibrary, options: LoweringOptions = LoweringOptions()) {
        self.library = library
        self.options = options
    }

    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        try run(model, inputs: inputs, groups: nil)
    }

    /// Runs `model` with each group of node indices (members in order, root last) lowered as one operator.
    public func run(_ model: Model, inputs: [String: Tensor], groups: [[Int]]?) throws -> [Tensor] {
        try NodeExecution.run(model, inputs: inputs, library: library, backend: name, groups: groups, options: options) { lowered in
            { k, values in try VM.run(lowered[k], inputs: values) }
        }
    }
}
