import ModelIR
import SpecLib
import TensorCore

/// Runs a model node by node for the kernel backends: verifies it, then hands each node's inputs to `runNode`.
enum NodeExecution {
    /// `prepare` gets every node's instance once (to lower or compile them together) and returns the node runner.
    static func run(_ model: Model, inputs: [String: Tensor], library: SpecLibrary, backend: String,
                    prepare: ([OpInstance]) throws -> (_ node: Int, _ inputs: [Tensor]) throws -> [Tensor]) throws -> [Tensor] {
        let instances: [OpInstance]
        do { instances = try Verifier.verify(model, library: library) } catch let e as ModelError {
            throw BackendError(backend: backend, kind: .error, message: e.message)
        }
        let runNode: (Int, [Tensor]) throws -> [Tensor]
        do { runNode = try prepare(instances) } catch {
            throw BackendError(backend: backend, kind: .error, message: "compile: \(error)")
        }
        var values = inputs
        for w in model.weights { values[w.name] = w.value }
        for (k, node) in model.nodes.enumerated() {
            let outputs: [Tensor]
            do { outputs = try runNode(k, node.inputs.map { values[$0]! }) } catch {
                throw BackendError(backend: backend, kind: .error, message: "\(node.op): \(error)")
            }
            for (info, t) in zip(node.outputs, outputs) { values[info.name] = t }
        }
        return model.outputs.map { values[$0]! }
    }
}
