import Foundation

/// A campaign's progress on stderr: a live line on a terminal, a plain line every 30 s otherwise (CI logs).
public final class StatusPrinter: @unchecked Sendable {
    private let terminal = isatty(2) == 1
    private let quiet: Bool
    private var lastPlain = Date()
    private var lastLive = Date.distantPast

    public init(quiet: Bool = false) { self.quiet = quiet }

    func update(tests: Int, findings: Int, rate: Double, coverage: StatsSample?, elapsed: Double, limit: Double?) {
        guard !quiet else { return }
        let now = Date()
        let cov = coverage.map { String(format: " | ops %d/%d pairs %.0f%% bins %.0f%%", $0.operators, $0.operatorsTotal,
                                        100 * Double($0.pairs) / Double(max(1, $0.pairsTotal)), 100 * Double($0.bins) / Double(max(1, $0.binsTotal))) } ?? ""
        let left = limit.map { String(format: " | %@ left", Self.duration(max(0, $0 - elapsed))) } ?? ""
        let line = String(format: "tests %d (%.1f/s) | findings %d", tests, rate, findings) + cov + left
        if terminal {
            guard now.timeIntervalSince(lastLive) >= 0.5 else { return }
            lastLive = now
            write("\r\u{1B}[K" + line)
        } else if now.timeIntervalSince(lastPlain) >= 30 {
            lastPlain = now
            write(Self.duration(elapsed) + " " + line + "\n")
        }
    }

    /// A line that must not be overwritten (a new finding).
    func event(_ text: String) {
        guard !quiet else { return }
        write((terminal ? "\r\u{1B}[K" : "") + text + "\n")
    }

    func finish(_ s: StatsSample) {
        guard !quiet else { return }
        if terminal { write("\r\u{1B}[K") }
        write(String(format: "campaign: %d tests in %@, %d findings (%d hits); coverage: operators %d/%d, pairs %d/%d, bins %d/%d\n",
                     s.tests, Self.duration(s.elapsed), s.findings, s.hits, s.operators, s.operatorsTotal, s.pairs, s.pairsTotal, s.bins, s.binsTotal))
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm%02ds", t / 3600, t / 60 % 60, t % 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
