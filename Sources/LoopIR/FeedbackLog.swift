import Synchronization

/// Compiler feedback: what the compiler did to the models it compiled since the log was last drained, as
/// `kind:name` entries: `pass:` a graph pass that changed the model, `rule:` a rewrite rule that fired, `path:` a
/// lowering or code-generation path taken (`LoweringPath`), `loop:` a loop pass that changed a kernel's code or
/// schedule, `group:` the shape of a fused group (its operators and output dtype).
///
/// A campaign counts these per test against what exists (every rule, path and pass), so a rule or path no generated
/// model reaches shows up; a backend owns one log and the test worker drains it after each test.
public final class FeedbackLog: Sendable {
    private let entries = Mutex<Set<String>>([])

    public init() {}

    /// Notes that the compiler did `name` of `kind` (`rule`, `path`, ...).
    public func record(_ kind: String, _ name: String) {
        entries.withLock { _ = $0.insert(kind + ":" + name) }
    }

    /// Everything recorded since the last drain, and an empty log.
    public func drain() -> Set<String> {
        entries.withLock { e in
            defer { e = [] }
            return e
        }
    }
}
