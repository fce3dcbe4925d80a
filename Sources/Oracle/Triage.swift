/// What kind of outcome a backend run (or a test) is, for findings and reports.
///
/// The failing classes are findings and fail a campaign's CI run. The others are documented or undefined
/// behaviour, counted per backend and listed apart so that a report can say how much of a campaign a compiler
/// accepted, without ever failing a run.
public enum Triage: String, Codable, Sendable, Hashable, CaseIterable {
    /// The backend's output differs from the reference beyond tolerance, or is NaN/Inf where the reference is finite.
    case wrongResult = "wrong-result"
    /// The backend or its worker process died (a signal, an abort, the end of its output).
    case crash
    /// No answer within the time limit.
    case hang
    /// The backend reported an error for a valid model that is not "unsupported" (an internal compiler error), or an
    /// in-repo compiler threw.
    case internalError = "internal-error"
    /// The backend says, or declares in its capabilities, that it does not support something the model uses.
    case unsupported
    /// A wrong result the backend's declared precision policy explains (`BackendCapabilities.computesAs`).
    case precisionPolicy = "precision-policy"
    /// A test the reference found to depend on a value ONNX leaves undefined (integer overflow, an input outside
    /// an operator's domain): no backend ran it.
    case undefinedBehaviour = "undefined-behaviour"

    /// Whether the class is a finding (and fails a run).
    public var isFailing: Bool {
        switch self {
        case .wrongResult, .crash, .hang, .internalError: return true
        case .unsupported, .precisionPolicy, .undefinedBehaviour: return false
        }
    }

    /// The failing classes, in report order.
    public static var failing: [Triage] { allCases.filter(\.isFailing) }
    /// The classes listed apart, in report order.
    public static var apart: [Triage] { allCases.filter { !$0.isFailing } }

    /// The class a finding of `verdict` had before triage classes were recorded: a crash is taken for a crash
    /// (older records cannot tell an internal error from a crash).
    public init?(legacy verdict: Verdict) {
        switch verdict {
        case .mismatch, .nan: self = .wrongResult
        case .crash: self = .crash
        case .hang: self = .hang
        case .pass, .invalid, .flaky: return nil
        }
    }
}
