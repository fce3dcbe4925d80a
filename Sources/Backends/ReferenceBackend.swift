import ModelIR
import Reference
import SpecLib
import TensorCore

/// The float64 reference interpreter as a backend.
public struct ReferenceBackend: Backend {
    public let library: SpecLibrary
    public var name: String { "reference" }
    public var capabilities: BackendCapabilities { .inRepo }

    public init(library: SpecLibrary) { self.library = library }

    public func prepare(_ model: Model) throws -> any PreparedModel {
        let library = library, name = name
        return DeferredModel { inputs in
            do {
                return try Interpreter.outputs(model, library: library, inputs: inputs)
            } catch let e as ReferenceError {
                throw BackendError(backend: name, kind: .error, message: e.message)
            }
        }
    }
}
