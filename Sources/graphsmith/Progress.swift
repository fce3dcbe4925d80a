import Foundation

/// Progress of a long command on stderr: a self-updating line on a terminal, a plain line every
/// tenth of the work otherwise (so CI logs stay short), nothing when disabled or before `delay` seconds have passed
/// (so quick work prints nothing). Steps may come from several threads.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let delay: TimeInterval
    private let terminal = isatty(2) == 1
    private var done = 0
    private var lastDecile = 0
    private var shown = false
    private let start = Date()
    private var lastWrite = Date.distantPast
    private let lock = NSLock()

    /// Whether stderr is a terminal (where a self-updating line is shown).
    static var isTerminal: Bool { isatty(2) == 1 }

    init(total: Int, label: String, enabled: Bool = true, delay: TimeInterval = 0) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
        self.delay = delay
    }

    func step() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard enabled, Date().timeIntervalSince(start) >= delay else { return }
        if terminal {
            // Every tenth step, and any step half a second after the last update (a long run has few, slow nodes).
            if done % 10 == 0 || done == total || Date().timeIntervalSince(lastWrite) >= 0.5 {
                write("\r\(label): \(done)/\(total) (\(percent)%)")
            }
        } else if done * 10 / total > lastDecile {
            lastDecile = done * 10 / total
            write("\(label): \(done)/\(total) (\(percent)%, \(String(format: "%.0f", Date().timeIntervalSince(start))) s)\n")
        }
    }

    func finish() {
        if shown && terminal { write("\n") }
    }

    private var percent: Int { 100 * done / total }

    private func write(_ s: String) {
        shown = true
        lastWrite = Date()
        FileHandle.standardError.write(Data(s.utf8))
    }
}
