import Generator

/// Steers a campaign's generation toward the rewrite rules that have fired least, deterministically.
///
/// Local test indices fall in batches of `batch`. The focus of batch `b` is the `width` buildable rules fired least
/// in batches `0 ..< b - 1` (one batch of lag, so a worker rarely waits for a slow test of the batch before), ties
/// broken by a hash of the rule and `b` so that rules no test can fire do not hold the focus forever. A test's focus
/// is thus a function of the campaign seed and configuration and of the verdicts of earlier tests, never of which
/// worker ran what when; it is recorded in the test's report.
public struct RuleSteering: Codable, Sendable, Hashable {
    /// Tests per batch.
    public static let batch = 64
    /// Rules in a batch's focus.
    public static let width = 4

    /// Firings of each rule, per batch (only batches that fired something).
    public var fired: [Int: [String: Int]] = [:]

    public init() {}

    /// Notes the rules a completed test (local index `k`) fired, from its compiler feedback (`rule:NAME` entries).
    public mutating func record(local k: Int, compiler feedback: [String: Int]) {
        for (key, n) in feedback where key.hasPrefix("rule:") && n > 0 {
            fired[k / Self.batch, default: [:]][String(key.dropFirst(5)), default: 0] += n
        }
    }

    /// The batches whose firings the focus of local test `k` reads; empty for the first two batches.
    public static func inputs(of k: Int) -> Range<Int> { 0 ..< max(0, k / batch - 1) }

    /// The focus of local test `k` among `rules`, given that every test of `inputs(of: k)` has completed.
    public func focus(of k: Int, rules: [String]) -> [String] {
        let window = Self.inputs(of: k)
        guard !window.isEmpty, !rules.isEmpty else { return [] }
        let total = fired.totals(over: window)
        let b = UInt64(k / Self.batch)
        return rules.map { ($0, total[$0, default: 0], Self.mix($0, b)) }
            .sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }
            .prefix(Self.width).map(\.0)
    }

    /// A stable hash of a rule name and a batch number (FNV-1a, then a final mix): tie order that moves per batch.
    static func mix(_ name: String, _ batch: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (batch &* 0x9E37_79B9_7F4A_7C15)
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 31
        return h &* 0xBF58_476D_1CE4_E5B9
    }
}
