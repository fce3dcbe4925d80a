import Foundation

/// Turns a trap or fatal signal into the one-line internal-error report and exit code 3.
///
/// A crash in graphsmith is a bug in graphsmith; the user should see a short message,
/// not a runtime backtrace. Set `GRAPHSMITH_BACKTRACE=1` to keep the runtime's crash
/// report when debugging.
enum CrashHandler {
    /// Bytes of the alternate signal stack: the handler only calls `write` and `_exit`.
    private static let alternateStackSize = 64 * 1024

    static func install() {
        guard ProcessInfo.processInfo.environment["GRAPHSMITH_BACKTRACE"] == nil else { return }
        let haveAlternateStack = installAlternateStack()
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV] {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = crashed
            #else
            action.__sigaction_handler.sa_handler = crashed
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = haveAlternateStack ? Int32(SA_ONSTACK) : 0
            sigaction(sig, &action, nil)
        }
    }

    /// Gives the main thread a signal stack of its own: a stack overflow's SIGSEGV arrives with no stack left to run
    /// a handler on, and would otherwise kill graphsmith silently (exit 139, no message).
    private static func installAlternateStack() -> Bool {
        // Never freed: the stack must outlive every signal the process may get.
        guard let memory = malloc(alternateStackSize) else { return false }
        var stack = stack_t()
        stack.ss_sp = memory
        stack.ss_size = alternateStackSize
        stack.ss_flags = 0
        return sigaltstack(&stack, nil) == 0
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
