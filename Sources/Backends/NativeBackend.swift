import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// Every node lowered to loop-IR kernels, the whole model emitted as one C file, compiled by the system C
/// compiler (cached by content hash) and run natively.
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
        let instances: [OpInstance]
        do { instances = try Verifier.verify(model, library: library) } catch let e as ModelError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        }
        let program: NativeProgram
        do {
            program = try NativeProgram(try instances.map { try Lowering.lower($0, options: options) })
        } catch {
            throw BackendError(backend: name, kind: .error, message: "compile: \(error)")
        }
        var values = inputs
        for w in model.weights { values[w.name] = w.value }
        for (k, node) in model.nodes.enumerated() {
            let outputs: [Tensor]
            do { outputs = try program.run(op: k, inputs: node.inputs.map { values[$0]! }) } catch {
                throw BackendError(backend: name, kind: .error, message: "\(node.op): \(error)")
            }
            for (info, t) in zip(node.outputs, outputs) { values[info.name] = t }
        }
        return model.outputs.map { values[$0]! }
    }
}
