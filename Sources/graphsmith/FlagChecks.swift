import Foundation

/// Range checks of numeric flags, each failing as one line that names the flag.
///
/// Numeric options are declared with `parsing: .unconditional`, so `--jobs -5` reaches these checks (ArgumentParser
/// would otherwise take `-5` for a flag and say the value is missing).
enum FlagChecks {
    /// The most worker processes or threads a command starts: 8 per core. Each is started up front and holds a
    /// worker's memory; past a few per core they only compete for the same cores.
    static var maxJobs: Int { 8 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The longest per-test or per-probe timeout, one day: longer is a typo, and it must stay a valid time interval.
    static let maxTimeoutSeconds = 86_400.0

    /// The smallest per-worker memory limit: a worker needs between 96 and 128 MiB of address space just to start
    /// (measured on Linux, debug build), so less than this fails every test before it runs; 256 leaves room for one.
    static let minMemoryLimitMiB = 256

    /// The most operators a generated model may have (`--nodes`, `--sizes`). Generation time grows about as the square
    /// of the node count (each insertion searches the model built so far): measured in a debug build, 300 nodes took
    /// 4.7 s of CPU and 1,000 took 43 s; 3,000 did not finish in 5 minutes, and 10,000 would take over an hour.
    static let maxNodes = 2_000

    /// The most models, instances or repetitions one command makes (`gen --count`, `specs test --count`,
    /// `bench ... --models`): a million takes days; more is a typo.
    static let maxCount = 1_000_000

    /// The most times one finding is replayed or one measurement repeated (`replay --times`, `bench compiler
    /// --repeats`, `kernels --samples`): enough to see flakiness, each run a worker process.
    static let maxRepeats = 1_000

    static func atLeast(_ minimum: Int, _ value: Int, _ flag: String) throws {
        guard value >= minimum else { throw UserError("\(flag) must be at least \(minimum), got \(value)") }
    }

    /// At least `minimum` and at most `maximum`; `why` says where the upper bound comes from.
    static func within(_ minimum: Int, _ maximum: Int, _ value: Int, _ flag: String, why: String) throws {
        try atLeast(minimum, value, flag)
        guard value <= maximum else { throw UserError("\(flag) must be at most \(maximum) (\(why)), got \(value)") }
    }

    /// An operator count: from 1 to `maxNodes`.
    static func nodes(_ value: Int, _ flag: String = "--nodes") throws {
        try within(1, maxNodes, value, flag, why: "generation time grows as the square of the nodes")
    }

    /// A count of models, instances or tests: from `minimum` to `maxCount`.
    static func count(_ value: Int, _ flag: String, minimum: Int = 1) throws {
        try within(minimum, maxCount, value, flag, why: "more is a typo")
    }

    /// A repetition count: from 1 to `maxRepeats`.
    static func repeats(_ value: Int, _ flag: String) throws {
        try within(1, maxRepeats, value, flag, why: "each repetition is a full run")
    }

    /// `--jobs`: from 1 to `maxJobs`.
    static func jobs(_ value: Int, _ flag: String = "--jobs") throws {
        try atLeast(1, value, flag)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard value <= maxJobs else {
            throw UserError("\(flag) must be at most \(maxJobs) (8 per core; this machine has \(cores)), got \(value)")
        }
    }

    /// A timeout in seconds: positive and at most a day.
    static func timeout(_ value: Double, _ flag: String) throws {
        guard value > 0, value <= maxTimeoutSeconds else {
            throw UserError("\(flag) must be more than 0 and at most \(Int(maxTimeoutSeconds)) seconds, got \(value)")
        }
    }

    /// `--memory-limit` in MiB: at least `minMemoryLimitMiB` (0 does not mean "no limit").
    static func memoryLimit(_ value: Int) throws {
        guard value >= minMemoryLimitMiB else {
            throw UserError("--memory-limit must be at least \(minMemoryLimitMiB) MiB (a worker cannot start with less), got \(value)")
        }
    }
}
