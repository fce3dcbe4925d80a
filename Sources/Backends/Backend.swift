import LoopIR
import ModelIR
import TensorCore

/// A system that runs models and is compared with the reference: the reference interpreter itself, a configuration
/// of the in-repo compiler, or an external compiler or runtime (which may live in another process and crash, hang or
/// print to stdout there).
///
/// Running a model has two stages, so that a finding can say which one failed: `prepare` (graph passes, export,
/// compilation) and `execute` on the prepared model. Everything the oracle needs to know about a backend beyond its
/// outputs comes through `capabilities` and `passSwitches`, never by asking which type it is.
public protocol Backend: Sendable {
    /// A short name for reports (`reference`, `onnxruntime`, `compiler-O2`, ...).
    var name: String { get }
    /// What the backend computes and how its results are to be judged.
    var capabilities: BackendCapabilities { get }
    /// The passes of this backend that can be switched off one at a time (for culprit search); nil when there are none.
    var passSwitches: PassSwitches? { get }
    /// Where the backend notes what its compiler did to the models it ran (`FeedbackLog`); nil when it tells nothing.
    var feedback: FeedbackLog? { get }
    /// The compile stage: everything that depends on the model alone. Failures are `BackendError`s.
    func prepare(_ model: Model) throws -> any PreparedModel
    /// Nil when the backend can run here; else one line saying why not (a missing package, no interpreter).
    func unavailableReason() -> String?
    /// The version of the system under test, when it has one of its own.
    var version: String? { get }
    /// The backend whose run counts when a run of this one does not pass: a backend that screens quickly (native
    /// code built by TinyCC) names its exact build, and a failure is filed only if that fails too. Nil when this
    /// backend's runs are final.
    var confirmation: (any Backend)? { get }
}

/// A backend and the name it was given (the registry's, e.g. `vm-O2`, where its own `name` is `compiler-O2`): the
/// backends of a campaign's tests and of `specs test --backend`.
public typealias NamedBackend = (name: String, backend: any Backend)

/// A model a backend has prepared; executing it is the run stage.
public protocol PreparedModel: Sendable {
    /// Runs on `inputs` (by input name) and returns the outputs in the model's output order. Failures are
    /// `BackendError`s.
    func execute(_ inputs: [String: Tensor]) throws -> [Tensor]
}

extension Backend {
    /// No switchable passes, unless the backend says otherwise.
    public var passSwitches: PassSwitches? { nil }
    /// No compiler feedback, unless the backend says otherwise.
    public var feedback: FeedbackLog? { nil }
    /// Runs are final, unless the backend screens.
    public var confirmation: (any Backend)? { nil }

    /// In-process backends are always available.
    public func unavailableReason() -> String? { nil }

    /// In-repo backends are versioned with graphsmith.
    public var version: String? { nil }

    /// Prepares and executes `model` in one call.
    public func run(_ model: Model, inputs: [String: Tensor]) throws -> [Tensor] {
        try prepare(model).execute(inputs)
    }
}

/// A prepared model that is a function of its inputs (backends that do all their work when executing).
public struct DeferredModel: PreparedModel {
    let body: @Sendable ([String: Tensor]) throws -> [Tensor]
    /// A prepared model that runs `body` when executed.
    public init(_ body: @escaping @Sendable ([String: Tensor]) throws -> [Tensor]) { self.body = body }
    public func execute(_ inputs: [String: Tensor]) throws -> [Tensor] { try body(inputs) }
}

/// How a backend's compiler passes are switched off by name: each pass in turn, to name the one a failure needs.
public struct PassSwitches: Sendable {
    /// The passes that can be switched off, in pipeline order (those already off are left out).
    public var passes: [String]
    /// The same backend with `disabled` passes off as well. With `fast`, on the quickest executor that runs the same
    /// passes (the bisection tries that first, since it may run every pass's variant).
    public var variant: @Sendable (_ disabled: Set<String>, _ fast: Bool) -> any Backend

    /// The model after each graph pass, when the backend can hand its graphs back (nil otherwise).
    public var graphTrace: GraphTrace?

    public init(passes: [String], graphTrace: GraphTrace? = nil,
                variant: @escaping @Sendable (_ disabled: Set<String>, _ fast: Bool) -> any Backend) {
        self.passes = passes
        self.graphTrace = graphTrace
        self.variant = variant
    }
}

/// The graphs a backend's graph passes produce, and a backend that runs a graph as it is: translation validation.
///
/// A graph pass must keep the model's meaning, so the first pass whose graph computes wrong outputs broke it.
/// Switching passes off cannot tell that pass from a later one whose absence merely hides the damage (a second
/// common subexpression elimination that only finds the wrongly merged pair after a layout rewrite made it).
public struct GraphTrace: Sendable {
    /// One pass's result: the pass that ran and the model it produced.
    public typealias Step = (pass: String, model: Model)

    /// The model after each graph pass that changed it, in the order they ran; nil when compiling fails.
    public var steps: @Sendable (Model) -> [Step]?
    /// Runs a model exactly as it is, with no pass of its own (the reference interpreter).
    public var runner: any Backend

    public init(runner: any Backend, steps: @escaping @Sendable (Model) -> [Step]?) {
        self.runner = runner
        self.steps = steps
    }
}

/// The stage a backend failed in.
public enum Stage: String, Codable, Sendable, Hashable {
    /// Preparing the model: graph passes, export, compilation.
    case compile
    /// Running the prepared model (lowering and code generation of the in-repo compiler count here).
    case execute
}

/// A backend failure: the backend crashed, hung, reported an error, cannot run this model at all, or is not there.
public struct BackendError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The backend's process died.
        case crash
        /// No answer within the time limit.
        case hang
        /// The backend reported an error for a valid model.
        case error
        /// The backend says it does not support something the model uses (a kernel, a dtype): not a finding.
        case unsupported
        /// The backend cannot be used at all here.
        case unavailable
    }

    public var backend: String
    public var kind: Kind
    public var message: String
    /// The stage the backend itself says failed, when it knows (an outside compiler's host does); else the stage
    /// graphsmith was in.
    public var stage: Stage?

    public init(backend: String, kind: Kind, message: String, stage: Stage? = nil) {
        self.backend = backend
        self.kind = kind
        self.message = message
        self.stage = stage
    }

    public var description: String { "\(backend): \(kind.rawValue): \(message)" }
}
