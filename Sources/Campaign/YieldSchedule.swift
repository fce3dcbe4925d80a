/// Spends a campaign's tests where failures come from, deterministically.
///
/// Tests fall in the batches of `RuleSteering` and read the same window (batches `0 ..< b - 1`), so a test's arm is
/// a function of the campaign seed, its configuration and the verdicts of earlier tests, never of timing; it is
/// recorded in the test's report. Even local tests explore: they take the arms in turn. Odd ones exploit: the arm
/// with the highest failure rate so far, `(failures + 1) / (tests + 2)`, which in a campaign without failures is
/// the least tried one (ties broken by a hash of the arm and the batch).
public struct YieldSchedule: Codable, Sendable, Hashable {
    /// Completed tests per batch and arm name.
    public var tests: [Int: [String: Int]] = [:]
    /// Failing tests (a finding's verdict) per batch and arm name.
    public var failures: [Int: [String: Int]] = [:]

    public init() {}

    /// Notes a completed test (local index `k`) of arm `arm`.
    public mutating func record(local k: Int, arm: String, failed: Bool) {
        let b = k / RuleSteering.batch
        tests[b, default: [:]][arm, default: 0] += 1
        if failed { failures[b, default: [:]][arm, default: 0] += 1 }
    }

    /// The arm of local test `k` among `arms` (names, in exploration order), given that every test of
    /// `RuleSteering.inputs(of: k)` has completed; nil when there is none.
    public func arm(of k: Int, among arms: [String]) -> String? {
        guard !arms.isEmpty else { return nil }
        if k % 2 == 0 { return arms[(k / 2) % arms.count] }
        return best(among: arms, over: RuleSteering.inputs(of: k), test: k).arm
    }

    /// The arm of `arms` (not empty) with the highest failure rate over the batches of `window`, and its failures
    /// there; ties go by a hash of the arm and test `k`'s batch.
    func best(among arms: [String], over window: Range<Int>, test k: Int) -> (arm: String, failures: Int) {
        let totals = tests.totals(over: window), failed = failures.totals(over: window)
        let b = UInt64(k / RuleSteering.batch)
        func rate(_ a: String) -> Double { Double(failed[a, default: 0] + 1) / Double(totals[a, default: 0] + 2) }
        let arm = arms.map { ($0, rate($0), RuleSteering.mix($0, b)) }.max { ($0.1, $1.2) < ($1.1, $0.2) }!.0
        return (arm, failed[arm, default: 0])
    }

    /// Batches a backend focus looks back on: the last ones of the steering window, so that one old failure (a known
    /// bug of an outside runtime hit once) does not keep half of a campaign's tests on one backend.
    public static let focusWindow = 4

    /// The one arm odd local test `k` spends itself on among `arms` (backends, whose arms are not exclusive: an even
    /// test runs them all): the arm with the highest failure rate over the last `focusWindow` batches of the steering
    /// window, when it failed there at all. Nil for even tests, and while nothing failed lately, when every arm runs.
    public func focus(of k: Int, among arms: [String]) -> String? {
        guard k % 2 == 1, arms.count > 1 else { return nil }
        let window = RuleSteering.inputs(of: k)
        let recent = max(window.lowerBound, window.upperBound - Self.focusWindow) ..< window.upperBound
        let chosen = best(among: arms, over: recent, test: k)
        return chosen.failures > 0 ? chosen.arm : nil
    }

    /// Tests and failures per arm over the whole campaign, for reports, by arm name.
    public var yield: [ArmYield] {
        let t = tests.totals(over: 0 ..< Int.max), f = failures.totals(over: 0 ..< Int.max)
        return t.keys.sorted().map { ArmYield(arm: $0, tests: t[$0]!, failures: f[$0, default: 0]) }
    }

    /// Sums arm yields (of several campaign directories), by arm name.
    public static func merge(_ yields: [[ArmYield]]) -> [ArmYield] {
        var t: [String: Int] = [:], f: [String: Int] = [:]
        for y in yields.joined() {
            t[y.arm, default: 0] += y.tests
            f[y.arm, default: 0] += y.failures
        }
        return t.keys.sorted().map { ArmYield(arm: $0, tests: t[$0]!, failures: f[$0, default: 0]) }
    }
}

/// Counts per batch and name (`RuleSteering.fired`, `YieldSchedule.tests`): the sums over a window of batches.
extension Dictionary where Key == Int, Value == [String: Int] {
    func totals(over window: Range<Int>) -> [String: Int] {
        var out: [String: Int] = [:]
        for (b, byName) in self where window.contains(b) { for (name, n) in byName { out[name, default: 0] += n } }
        return out
    }
}

/// What one schedule arm spent and found: tests, and failing tests (a finding's verdict, new or a hit).
public struct ArmYield: Codable, Sendable, Hashable {
    public var arm: String
    public var tests: Int
    public var failures: Int
}
