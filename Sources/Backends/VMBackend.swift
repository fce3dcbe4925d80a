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
        let instances: [OpInstance]
        do { instances = try Verifier.verify(model, library: library) } catch let e as ModelError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        }
        var values = inputs
        for w in model.weights { values[w.name] = w.value }
        for (node, instance) in zip(model.nodes, instances) {
            let outputs: [Tensor]
            do {
                outputs = try VM.run(try Lowering.lower(instance, options: options), inputs: node.inputs.map { values[$0]! })
            } catch {
                throw BackendError(backend: name, kind: .error, message: "\(node.op): \(error)")
            }
            for (info, t) in zip(node.outputs, outputs) { values[info.name] = t }
        }
        return model.outputs.map { values[$0]! }
    }
}
