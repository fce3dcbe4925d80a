/// A test's verdict. `pass` and `invalid` are not findings; the rest are.
public enum Verdict: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every backend agreed with the reference within tolerance.
    case pass
    /// A backend (or its worker process) trapped, aborted or ran out of memory.
    case crash
    /// A backend did not answer within the test time limit.
    case hang
    /// A backend's output differs from the reference beyond tolerance.
    case mismatch
    /// A backend produced NaN or infinity where the reference is finite.
    case nan
    /// The test could not be made valid (input search failed); not a finding, counted apart.
    case invalid
    /// A hang or a dead process that did not happen again when the test was rerun alone (the machine was busy, not
    /// the backend wrong); not a finding, counted apart.
    case flaky

    /// Whether this verdict is recorded as a finding.
    public var isFinding: Bool { self != .pass && self != .invalid && self != .flaky }
}
