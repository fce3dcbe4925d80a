import Foundation

/// Progress of a long command on stderr: a self-updating line on a terminal, a plain line every
/// tenth of the work otherwise (so CI logs stay short), nothing when disabled. Steps may come from several threads.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let terminal = isatty(2) == 1
    private var done = 0
    private var lastDecile = 0
    private let start = Date()
    private let lock = NSLock()

    init(total: Int, label: String, enabled: Bool = true) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
    }

    func step() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard enabled else { return }
        if terminal {
            if done % 10 == 0 || done == total { write("\r\(label): \(done)/\(total) (\(percent)%)") }
        } else if done * 10 / total > lastDecile {
            lastDecile = done * 10 / total
            write("\(label): \(done)/\(total) (\(percent)%, \(String(format: "%.0f", Date().timeIntervalSince(start))) s)\n")
        }
    }

    func finish() {
        if enabled && terminal { write("\n") }
    }

    private var percent: Int { 100 * done / total }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
