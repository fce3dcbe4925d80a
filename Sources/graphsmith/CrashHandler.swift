import Foundation

/// Turns a trap or fatal signal into the one-line internal-error report and exit code 3.
///
/// A crash in graphsmith is a bug in graphsmith; the user should see a short message,
/// not a runtime backtrace. Set `GRAPHSMITH_BACKTRACE=1` to keep the runtime's crash
/// report when debugging.
enum CrashHandler {
    static func install() {
        guard ProcessInfo.processInfo.environment["GRAPHSMITH_BACKTRACE"] == nil else { return }
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV] {
            signal(sig, crashed)
        }
    }
}

/// Signal handler: only async-signal-safe calls (`write`, `_exit`).
private func crashed(_ signal: Int32) {
    let message: StaticString = """
        internal error: graphsmith crashed (this is a bug in graphsmith; please report it with the command \
        you ran, and rerun with GRAPHSMITH_BACKTRACE=1 for a backtrace)

        """
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    _exit(3)
}
