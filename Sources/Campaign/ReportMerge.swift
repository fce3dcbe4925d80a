import Foundation
import Generator
import Oracle

/// A finding merged over campaign directories: the record of its earliest first hit, hits summed.
public struct MergedFinding: Codable, Sendable, Hashable {
    public var finding: FindingRecord
    /// The directories that hit this fingerprint, in the order they were given.
    public var directories: [String]
    /// The directory of the earliest first hit (where `finding.test`, `testSeed` and `repro` come from).
    public var firstDirectory: String
}

/// One campaign directory in the merge: what it ran and what it found.
public struct MergedDirectory: Codable, Sendable {
    public var path: String
    public var seed: UInt64
    public var shard: String
    public var backends: [String]
    public var tests: Int
    public var findings: Int
    public var elapsed: Double
    /// Its `stats.jsonl` samples: each directory is its own line in the report's charts.
    public var samples: [StatsSample]
}

/// Campaign directories (shards of one campaign or separate campaigns) merged into one report.
///
/// Findings are de-duplicated by fingerprint; tests, verdicts and coverage are summed. Time series are kept
/// per directory (plotted one line each): shards run side by side, so summing them by elapsed time would
/// need resampling and would still say nothing about findings two shards share.
public struct CampaignMerge: Codable, Sendable {
    public var directories: [MergedDirectory]
    public var tests: Int
    public var verdicts: [String: Int]
    /// Campaign time summed over directories (machine time, not wall time).
    public var elapsed: Double
    /// Tests that hit any finding, summed over findings.
    public var hits: Int
    /// By first seen (elapsed at the earliest first hit), then id.
    public var findings: [MergedFinding]
    public var coverage: Coverage
    /// Coverage against the specs' denominators, when the report was given the specs.
    public var coverageReport: CoverageReport?
    /// Compiler feedback against every rule, path and pass, when the report was given the specs and a test reported any.
    public var compilerCoverage: CompilerCoverage?
    /// The entries of the known-findings file that `findings` match (set with `markKnown`).
    public var known: [KnownFinding] = []
    /// Outcomes per backend by triage class and those listed apart, over every directory.
    public var triage: TriageRecord
    /// Tests and failures per schedule arm (`YieldSchedule`), summed over directories; empty when none scheduled.
    public var schedule: [ArmYield]? = nil

    /// Merges directories in the order given (which decides ties between equally early first hits).
    public init(_ dirs: [CampaignDirectory]) {
        directories = dirs.map { d in
            MergedDirectory(path: d.path, seed: d.config.seed, shard: "\(d.config.shardIndex)/\(d.config.shardCount)",
                            backends: d.config.backends, tests: d.state.tests, findings: d.findings.count,
                            elapsed: d.state.elapsed, samples: d.stats)
        }
        tests = dirs.map(\.state.tests).reduce(0, +)
        verdicts = dirs.reduce(into: [:]) { $0.merge($1.state.verdicts, uniquingKeysWith: +) }
        elapsed = dirs.map(\.state.elapsed).reduce(0, +)
        schedule = YieldSchedule.merge(dirs.map(\.state.schedule.yield))
        coverage = dirs.reduce(into: Coverage()) { $0.merge($1.coverage) }
        findings = Self.dedupe(dirs)
        triage = dirs.reduce(TriageRecord()) { $0.merged(with: $1.triage) }
        hits = findings.map(\.finding.hits).reduce(0, +)
    }

    /// One merged finding per fingerprint.
    static func dedupe(_ dirs: [CampaignDirectory]) -> [MergedFinding] {
        var byPrint: [Fingerprint: MergedFinding] = [:]
        var order: [Fingerprint] = []
        for d in dirs {
            for f in d.findings {
                guard var m = byPrint[f.fingerprint] else {
                    byPrint[f.fingerprint] = MergedFinding(finding: f, directories: [d.path], firstDirectory: d.path)
                    order.append(f.fingerprint)
                    continue
                }
                let hits = m.finding.hits + f.hits
                // Strictly earlier only: on a tie the directory given first keeps the finding.
                if f.elapsed < m.finding.elapsed {
                    m.finding = f
                    m.firstDirectory = d.path
                }
                m.finding.hits = hits
                if !m.directories.contains(d.path) { m.directories.append(d.path) }
                byPrint[f.fingerprint] = m
            }
        }
        return order.compactMap { byPrint[$0] }.sorted {
            ($0.finding.elapsed, $0.finding.id) < ($1.finding.elapsed, $1.finding.id)
        }
    }

    /// Marks the findings `file` lists as known.
    public mutating func markKnown(_ file: KnownFindings) { known = file.matching(findings.map(\.finding)) }

    /// The note of a known finding, nil for a new one.
    public func knownNote(_ f: FindingRecord) -> String? { known.first { $0.id == f.fingerprint.id }?.note }

    /// The findings not known: the ones that fail `--fail-on-findings`.
    public var newFindings: [MergedFinding] { findings.filter { $0.finding.triage.isFailing && knownNote($0.finding) == nil } }

    /// The known findings with their notes.
    public var knownRows: KnownRendering.Rows { findings.compactMap { m in knownNote(m.finding).map { (m.finding, $0) } } }

    /// Tests with a finding verdict (crash, hang, mismatch, nan).
    public var findingTests: Int {
        verdicts.filter { Verdict(rawValue: $0.key)?.isFinding ?? false }.values.reduce(0, +)
    }
}
