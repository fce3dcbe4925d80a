import ModelIR
import Reference
import SpecLib
import TensorCore

/// The float64 reference interpreter as a backend.
public struct ReferenceBackend: Backend {
    public let library: SpecLibrary
    public var name: String { "reference" }

    public init(library: SpecLibrary) { self.library = library }

    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        do {
            return try Interpreter.outputs(model, library: library, inputs: inputs)
        } catch let e as ReferenceError {
            throw BackendError(backend: name, kind: .error, message: e.message)
        }
    }
}
