/// The line of a dead worker's stderr that says why it died, for a crash finding's message (and so its fingerprint).
///
/// The host enables Python's faulthandler, so a native crash ends stderr with `Fatal Python error: Floating point
/// exception`, the threads' stacks and a list of loaded extension modules. That list (it includes the kernels a
/// compiler built for this model, and is cut at a varying point) would make the same crash a different finding on
/// every run; the fatal error line says what happened.
enum CrashLine {
    /// `Fatal Python error: ...` when faulthandler wrote one; else the last line that is not part of faulthandler's
    /// stack dump or module list; empty when there is none.
    static func of(_ stderr: String) -> String {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if let fatal = lines.last(where: { $0.hasPrefix("Fatal Python error:") }) { return fatal }
        let dump = lines.firstIndex { $0.hasPrefix("Extension modules:") || $0.hasPrefix("Current thread") || $0.hasPrefix("Thread 0x") }
        return lines[..<(dump ?? lines.endIndex)].last { !$0.isEmpty && !$0.hasPrefix("File \"") } ?? ""
    }
}
