/// The outcome of one ONNX node test.
public struct ConformanceResult: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case passed, failed
        /// A specced operator used in a form its spec does not cover (counts as not passing).
        case unsupportedVariant = "unsupported-variant"
        /// An operator without a spec (left out of the percentage).
        case noSpec = "no-spec"
        /// Tensors of a dtype outside graphsmith's set (left out of the percentage).
        case foreignDType = "foreign-dtype"
    }

    public var name: String
    public var status: Status
    public var opTypes: [String]
    public var reason: String?
}

/// Totals of a conformance run.
public struct ConformanceSummary: Hashable, Sendable, Codable {
    public var counts: [String: Int]
    /// Passed over passed + failed + unsupported-variant, in percent.
    public var passRate: Double

    public init(_ results: [ConformanceResult]) {
        var counts: [String: Int] = [:]
        for s in ConformanceResult.Status.allCases { counts[s.rawValue] = 0 }
        for r in results { counts[r.status.rawValue, default: 0] += 1 }
        self.counts = counts
        let passed = counts["passed"]!, considered = passed + counts["failed"]! + counts["unsupported-variant"]!
        passRate = considered == 0 ? 0 : 100 * Double(passed) / Double(considered)
    }

    public var line: String {
        String(format: "%d passed, %d failed, %d unsupported-variant, %d no-spec, %d foreign-dtype: %.1f%% of specced tests pass",
               counts["passed"]!, counts["failed"]!, counts["unsupported-variant"]!, counts["no-spec"]!, counts["foreign-dtype"]!, passRate)
    }
}
