import Compiler
import Generator
import LoopIR
import SpecLib

/// Compiler feedback against what exists: of every rewrite rule of the rule table, every lowering and
/// code-generation path, every graph pass and every loop pass, how many a campaign's tests made fire, and which not.
/// (Fused-group shapes have no true denominator; they are counted.)
public struct CompilerCoverage: Codable, Sendable {
    /// One kind of feedback (`rule`, `path`, `pass`, `loop`) against its denominator.
    public struct Kind: Codable, Sendable {
        public var kind: String
        public var covered: Int
        public var total: Int
        /// What exists and never fired, in registry order.
        public var missing: [String]
        public var percent: Double { total == 0 ? 100 : 100 * Double(covered) / Double(total) }
    }

    public var kinds: [Kind]
    /// Distinct fused groups (operators and output dtype) built.
    public var groupShapes: Int

    /// `coverage`'s compiler feedback against the compiler built from `library`.
    public init(_ coverage: Coverage, library: SpecLibrary) {
        let denominators: [(String, [String])] = [
            ("rule", RuleTable.derive(from: library).rules.map(\.name)),
            ("path", LoweringPath.all.map(\.name)),
            ("pass", Pipeline.standard.distinctPasses.map(\.name)),
            ("loop", LoopPass.all.map(\.name)),
        ]
        kinds = denominators.map { kind, names in
            let missing = names.filter { coverage.compiler["\(kind):\($0)"] == nil }
            return Kind(kind: kind, covered: names.count - missing.count, total: names.count, missing: missing)
        }
        groupShapes = coverage.compiler.keys.filter { $0.hasPrefix("group:") }.count
    }

    /// Whether any test reported feedback (a campaign without an in-repo compiler backend has none).
    public static func hasFeedback(_ coverage: Coverage) -> Bool { !coverage.compiler.isEmpty }

    /// The report's words for a kind.
    static func title(_ kind: String) -> String {
        ["rule": "rewrite rules", "path": "lowering paths", "pass": "graph passes", "loop": "loop passes"][kind] ?? kind
    }
}
