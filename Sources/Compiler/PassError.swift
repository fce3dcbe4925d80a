/// A compilation failure, naming the pass responsible so it can be disabled or debugged alone.
public struct PassError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Hashable, Sendable {
        /// The model given to the pipeline is not valid (no pass is to blame).
        case invalidInput = "invalid input"
        /// The pass returned a model the verifier rejects, or with a different interface (checked mode).
        case brokeModel = "broke the model"
        /// The pass itself threw.
        case failed
    }

    /// The pass's name; `input` for `.invalidInput`.
    public var pass: String
    /// What went wrong.
    public var kind: Kind
    /// The verifier's or the pass's own message.
    public var message: String

    /// An error blaming `pass`.
    public init(pass: String, kind: Kind, message: String) {
        self.pass = pass
        self.kind = kind
        self.message = message
    }

    /// One line for reports.
    public var description: String {
        kind == .invalidInput ? "invalid input model: \(message)" : "pass '\(pass)' \(kind.rawValue): \(message)"
    }
}
