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

    static func atLeast(_ minimum: Int, _ value: Int, _ flag: String) throws {
        guard value >= minimum else { throw UserError("\(flag) must be at least \(minimum), got \(value)") }
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
