import Backends
import Foundation
import ModelIR
import SpecLib
import TensorCore

/// What one backend did on one test.
public struct BackendRun: Sendable {
    public var backend: String
    /// `pass`, `crash`, `hang`, `mismatch` or `nan`. Unsupported and precision-policy outcomes are a `pass` here
    /// (they are not findings); `triage` tells them apart.
    public var verdict: Verdict
    /// The outcome's triage class; nil when the backend agreed with the reference.
    public var triage: Triage?
    public var stage: Stage
    /// Empty on a pass; else what went wrong, in one line.
    public var message: String
    /// The backend's outputs when it produced any.
    public var outputs: [Tensor]?
    /// The model output (by position) that disagreed first, on a mismatch or nan.
    public var divergingOutput: Int?

    public init(backend: String, verdict: Verdict, triage: Triage? = nil, stage: Stage, message: String,
                outputs: [Tensor]? = nil, divergingOutput: Int? = nil) {
        self.backend = backend
        self.verdict = verdict
        self.triage = triage
        self.stage = stage
        self.message = message
        self.outputs = outputs
        self.divergingOutput = divergingOutput
    }
}

/// The differential oracle: runs a model on each backend and compares every output with the reference.
///
/// The reference is the float64 interpreter; a backend agrees when every output has the reference's dtype and shape
/// and is within `Tolerance.default(for:)` elementwise (or the wider tolerance of a backend's `policy`, and times
/// `toleranceScale`). A non-finite
/// value where the reference is finite is its own verdict (`nan`), since the input search made every reference value finite.
public struct Oracle: Sendable {
    public let library: SpecLibrary
    /// The precision the judged backend declares (`exact` unless an oracle is made for one backend's policy).
    public var policy = PrecisionPolicy.exact
    /// Every tolerance multiplied by this (`check --tolerance`: a user's large model accumulates more rounding than a
    /// campaign's small ones); 1 keeps the defaults.
    public var toleranceScale = 1.0

    /// The tolerance outputs of `dtype` are compared at: the policy's, times `toleranceScale`.
    public func tolerance(for dtype: DType) -> Tolerance {
        policy.tolerance(for: dtype).scaled(by: toleranceScale)
    }

    public init(library: SpecLibrary) { self.library = library }

    /// The same oracle judging at the tolerances `policy` allows.
    public func applying(_ policy: PrecisionPolicy) -> Oracle {
        var o = self
        o.policy = policy
        return o
    }

    /// Runs `backend` on the test and judges its outputs against `expected` (the reference outputs).
    /// `stage` is called before each stage starts, so a crash that kills the process can be attributed.
    ///
    /// What the backend says it does not support is a pass (the test says nothing about it) of triage class
    /// `unsupported`; a hang is a hang; any other failure is a crash of the stage it happened in, of class `crash`
    /// when the backend died and `internal-error` when it reported an error (or an in-repo compiler threw).
    public func run(_ backend: any Backend, name: String, model: Model, inputs: [String: Tensor], expected: [Tensor],
                    stage: (Stage) -> Void = { _ in }) -> BackendRun {
        stage(.compile)
        let prepared: any PreparedModel
        do { prepared = try backend.prepare(model) } catch { return failure(error, name: name, stage: .compile) }
        stage(.execute)
        let outputs: [Tensor]
        do { outputs = try prepared.execute(inputs) } catch { return failure(error, name: name, stage: .execute) }
        return judge(outputs, expected: expected, name: name)
    }

    private func failure(_ error: any Error, name: String, stage: Stage) -> BackendRun {
        guard let e = error as? BackendError else {
            return BackendRun(backend: name, verdict: .crash, triage: .internalError, stage: stage, message: oneLine(error))
        }
        let (verdict, triage): (Verdict, Triage) = switch e.kind {
        case .hang: (.hang, .hang)
        case .unsupported: (.pass, .unsupported)
        case .error: (.crash, .internalError)
        case .crash, .unavailable: (.crash, .crash)
        }
        return BackendRun(backend: name, verdict: verdict, triage: triage, stage: e.stage ?? stage, message: oneLine(e.message))
    }

    /// Compares outputs with the reference's.
    public func judge(_ outputs: [Tensor], expected: [Tensor], name: String) -> BackendRun {
        var run = BackendRun(backend: name, verdict: .pass, stage: .execute, message: "", outputs: outputs)
        guard outputs.count == expected.count else {
            run.verdict = .mismatch
            run.triage = .wrongResult
            run.message = "\(outputs.count) outputs, the reference has \(expected.count)"
            return run
        }
        for (k, (actual, want)) in zip(outputs, expected).enumerated() {
            let report = Compare.allClose(actual: actual, expected: want, tolerance: tolerance(for: want.dtype))
            if report.passed { continue }
            run.divergingOutput = k
            let nonFinite = report.nanInActual > report.nanInExpected || report.infInActual > report.infInExpected
            run.verdict = nonFinite ? .nan : .mismatch
            run.triage = .wrongResult
            run.message = Self.describe(report, output: k, actual: actual, expected: want)
            return run
        }
        return run
    }

    /// One line that says how an output differs.
    static func describe(_ r: ComparisonReport, output k: Int, actual: Tensor, expected: Tensor) -> String {
        if r.dtypeMismatch { return "output \(k): dtype \(actual.dtype), the reference has \(expected.dtype)" }
        if r.shapeMismatch { return "output \(k): shape \(actual.shape), the reference has \(expected.shape)" }
        let nonFinite = r.nanInActual + r.infInActual - r.nanInExpected - r.infInExpected
        let where_ = r.firstMismatch.map { " (first at flat index \($0))" } ?? ""
        if nonFinite > 0 { return "output \(k): \(nonFinite) NaN/Inf elements where the reference is finite\(where_)" }
        return String(format: "output %d: %d of %d elements differ, max abs error %.3g, max rel error %.3g%@",
                      k, r.mismatches, r.count, r.maxAbsError, r.maxRelError, where_)
    }
}

/// An error as one line of text (backend errors can carry multi-line compiler output), cut at 1000 characters: long
/// enough that a compiler's message keeps the words after the node descriptions it quotes, which its fingerprint's
/// message class is made of.
public func oneLine(_ error: Any) -> String {
    let text = "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    let joined = text.filter { !$0.isEmpty }.joined(separator: " ")
    return joined.count > 1000 ? String(joined.prefix(1000)) + "…" : joined
}
