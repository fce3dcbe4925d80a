import ModelIR
import TensorCore

/// A system that runs models: the reference interpreter, a compiler configuration, or an external runtime.
public protocol Backend: Sendable {
    /// A short name for reports (`reference`, `onnxruntime`, ...).
    var name: String { get }
    /// Runs `model` on `inputs` (by input name) and returns its outputs in the model's output order.
    func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor]
}

/// A backend failure: the backend crashed, hung, or reported an error for this model.
public struct BackendError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case crash, hang, error, unavailable }
    public var backend: String
    public var kind: Kind
    public var message: String

    public init(backend: String, kind: Kind, message: String) {
        self.backend = backend
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(backend): \(kind.rawValue): \(message)" }
}
