import Foundation
import Generator

/// One campaign directory read back for a report: its records, findings and time series.
public struct CampaignDirectory: Sendable {
    public var path: String
    public var config: CampaignConfig
    public var state: CampaignState
    public var coverage: Coverage
    public var findings: [FindingRecord]
    public var stats: [StatsSample]
    /// Outcomes per backend by triage class, and those listed apart (empty for a directory written before them).
    public var triage: TriageRecord

    public init(path: String, config: CampaignConfig, state: CampaignState, coverage: Coverage, findings: [FindingRecord],
                stats: [StatsSample], triage: TriageRecord = TriageRecord()) {
        self.path = path
        self.config = config
        self.state = state
        self.coverage = coverage
        self.findings = findings
        self.stats = stats
        self.triage = triage
    }

    /// Reads a campaign directory. `config.json`, `state.json` and `coverage.json` must be there; `findings/`
    /// `stats.jsonl` and `triage.json` may be missing (nothing found, no sample yet, written before triage classes). A missing or corrupt file is a
    /// `CampaignError.badFile` naming it.
    public static func read(_ path: String) throws -> CampaignDirectory {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw CampaignError.badFile(path, "not a campaign directory (no such directory)")
        }
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        return CampaignDirectory(
            path: root,
            config: try JSONCoding.decode(CampaignConfig.self, from: root + "/config.json"),
            state: try JSONCoding.decode(CampaignState.self, from: root + "/state.json"),
            coverage: try JSONCoding.decode(Coverage.self, from: root + "/coverage.json"),
            findings: try readFindings(root + "/findings"),
            stats: try readStats(root + "/stats.jsonl"),
            triage: FileManager.default.fileExists(atPath: root + "/triage.json")
                ? try JSONCoding.decode(TriageRecord.self, from: root + "/triage.json") : TriageRecord())
    }

    /// Every `findings/<id>/finding.json`, in folder-name order (folders starting with `.` are work in progress).
    static func readFindings(_ dir: String) throws -> [FindingRecord] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return try names.filter { !$0.hasPrefix(".") }.sorted().map { name in
            try JSONCoding.decode(FindingRecord.self, from: "\(dir)/\(name)/finding.json")
        }
    }

    /// The samples of `stats.jsonl`. A last line without its newline is the half-written line of a killed
    /// campaign and is skipped; any other line that does not parse is an error naming the file and line.
    static func readStats(_ path: String) throws -> [StatsSample] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CampaignError.badFile(path, "unreadable")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var samples: [StatsSample] = []
        let decoder = JSONDecoder()
        for (k, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if let sample = try? decoder.decode(StatsSample.self, from: Data(line.utf8)) {
                samples.append(sample)
            } else if k == lines.count - 1 && !text.hasSuffix("\n") {
                break
            } else {
                throw CampaignError.badFile(path, "line \(k + 1) is not a valid StatsSample")
            }
        }
        return samples
    }
}
