/// Backends as schedule arms (`YieldSchedule`): where a campaign's levels and backends have failed, odd tests spend
/// themselves on the one that failed most, running it alone (`YieldSchedule.focus`). Even tests run every backend, so
/// none goes untested, and a focused test that fails is run again on every backend before it is filed.
///
/// Their arms share the schedule's counters with the size and dtype arms, under names of their own (`backend:NAME`),
/// so `state.json` and `report` show them beside the others.
public enum BackendArm {
    static let prefix = "backend:"

    /// The arms of `backends`: none for one backend (there is nothing to choose). A name with white space cannot
    /// travel in the worker protocol and is never focused on.
    public static func names(_ backends: [String]) -> [String] {
        let usable = backends.filter { !$0.contains(where: \.isWhitespace) }
        return backends.count > 1 ? usable.map { prefix + $0 } : []
    }

    /// The backend of arm `arm`, or nil for an arm of another kind.
    public static func backend(_ arm: String) -> String? {
        arm.hasPrefix(prefix) ? String(arm.dropFirst(prefix.count)) : nil
    }

    /// The arms of the backends `report`'s test ran, each with whether it failed (it is among the finding's backends).
    static func outcomes(_ report: TestReport) -> [String: Bool] {
        let failing = report.verdict.isFinding ? Set(report.backends) : []
        return Dictionary(report.outcomes.map { (prefix + $0.backend, failing.contains($0.backend)) }, uniquingKeysWith: { $0 || $1 })
    }
}
