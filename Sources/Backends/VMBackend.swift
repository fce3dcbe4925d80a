import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// Every node lowered to loop-IR kernels and run on the closure-compiled VM.
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
        try NodeExecution.run(model, inputs: inputs, library: library, backend: name) { instances in
            let lowered = try instances.map { try Lowering.lower($0, options: options) }
            return { k, values in try VM.run(lowered[k], inputs: values) }
        }
    }
}
