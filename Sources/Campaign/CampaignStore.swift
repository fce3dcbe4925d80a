import Foundation
import Generator
import ModelIR
import ONNX
import Oracle
import SpecLib

/// A campaign directory on disk: creating or reopening it, and every write to it (all atomic).
public final class CampaignStore: @unchecked Sendable {
    public let path: String
    public private(set) var config: CampaignConfig
    public private(set) var state: CampaignState
    public private(set) var coverage: Coverage
    /// Findings by fingerprint.
    public private(set) var findings: [Fingerprint: FindingRecord]
    /// The known-findings file of `config.knownFile` as read when the store was opened (empty without one).
    public private(set) var known: KnownFindings
    /// Outcomes per backend by triage class and the outcomes listed apart.
    public private(set) var triage: TriageRecord

    var configPath: String { path + "/config.json" }
    var statePath: String { path + "/state.json" }
    var coveragePath: String { path + "/coverage.json" }
    var triagePath: String { path + "/triage.json" }
    var statsPath: String { path + "/stats.jsonl" }
    var findingsPath: String { path + "/findings" }
    /// Per-worker folders for the test in flight, and finding folders being assembled.
    public var stagingPath: String { path + "/.staging" }

    /// This process's hold on the directory, kept as long as the store (the campaign) lives.
    private let lock: CampaignLock

    private init(path: String, lock: CampaignLock, config: CampaignConfig, state: CampaignState, coverage: Coverage,
                 findings: [Fingerprint: FindingRecord], known: KnownFindings, triage: TriageRecord = TriageRecord()) {
        self.lock = lock
        self.known = known
        self.path = path
        self.config = config
        self.state = state
        self.coverage = coverage
        self.findings = findings
        self.triage = triage
    }

    /// Starts a new campaign in `path`, which must be new or empty (see `CampaignFolderCheck.forCreate`), and holds
    /// its lock.
    public static func create(_ path: String, config: CampaignConfig) throws -> CampaignStore {
        let fm = FileManager.default
        try refuseExistingCampaign(path)
        try CampaignFolderCheck.forCreate(path)
        // Read before anything is written, so a bad file leaves no half-made campaign behind.
        let known = try config.knownFile.map(KnownFindings.read) ?? KnownFindings()
        do { try fm.createDirectory(atPath: path + "/findings", withIntermediateDirectories: true) } catch {
            throw CampaignError.io("cannot create '\(path)': \(error.localizedDescription)")
        }
        let lock = try CampaignLock.acquire(path)
        // Another campaign may have been created here between the check above and the lock.
        try refuseExistingCampaign(path)
        let store = CampaignStore(path: path, lock: lock, config: config, state: CampaignState(), coverage: Coverage(),
                                  findings: [:], known: known)
        try store.resetStaging()
        // config.json last: a folder with one is a whole campaign, whose counters --resume can rely on.
        try store.saveProgress()
        try AtomicFile.writeJSON(config, to: store.configPath)
        return store
    }

    private static func refuseExistingCampaign(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path + "/config.json") {
            throw CampaignError.usage("'\(path)' already holds a campaign; pass --resume to continue it, or choose another --out")
        }
    }

    /// Reopens a campaign for `--resume`: its config, counters, coverage and findings as last written, after taking its
    /// lock and checking that every part of it is there (see `CampaignFolderCheck.forResume`).
    /// `knownFile` (absolute) replaces the known-findings file the campaign had, if any, and is stored in its config.
    public static func open(_ path: String, knownFile: String? = nil) throws -> CampaignStore {
        guard FileManager.default.fileExists(atPath: path + "/config.json") else {
            throw CampaignError.usage("'\(path)' holds no campaign (no config.json) to resume")
        }
        // Locked before anything is read, so nothing read is about to be rewritten by another campaign.
        let lock = try CampaignLock.acquire(path)
        var config = try JSONCoding.decode(CampaignConfig.self, from: path + "/config.json")
        guard config.version == campaignFormatVersion else {
            throw CampaignError.badFile(path + "/config.json", "format version \(config.version), this graphsmith reads \(campaignFormatVersion)")
        }
        try CampaignFolderCheck.forResume(path, config: config)
        let replacesKnown = knownFile != nil && knownFile != config.knownFile
        if let knownFile { config.knownFile = knownFile }
        let known = try config.knownFile.map(KnownFindings.read) ?? KnownFindings()
        let state = try JSONCoding.decode(CampaignState.self, from: path + "/state.json")
        if let problem = state.problem { throw CampaignError.badFile(path + "/state.json", problem) }
        let coverage = FileManager.default.fileExists(atPath: path + "/coverage.json")
            ? try JSONCoding.decode(Coverage.self, from: path + "/coverage.json") : Coverage()
        // A campaign written before triage classes has no triage.json: its counts start now.
        let triage = FileManager.default.fileExists(atPath: path + "/triage.json")
            ? try JSONCoding.decode(TriageRecord.self, from: path + "/triage.json") : TriageRecord()
        var findings: [Fingerprint: FindingRecord] = [:]
        for record in try readFindings(path + "/findings") { findings[record.fingerprint] = record }
        let store = CampaignStore(path: path, lock: lock, config: config, state: state, coverage: coverage, findings: findings,
                                  known: known, triage: triage)
        try store.resetStaging()
        if replacesKnown { try AtomicFile.writeJSON(config, to: store.configPath) }
        return store
    }

    /// Every finding record under a `findings` folder, in id order; a corrupt record is an error naming its file.
    public static func readFindings(_ dir: String) throws -> [FindingRecord] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("f-") }.sorted()
        return try names.map { try JSONCoding.decode(FindingRecord.self, from: "\(dir)/\($0)/finding.json") }
    }

    private func resetStaging() throws {
        try? FileManager.default.removeItem(atPath: stagingPath)
        try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: true)
    }

    /// Counts a completed test (local index `k` of this shard).
    /// `backends` are the backend arms (`BackendArm`) the test ran, each with whether it failed.
    func complete(_ k: Int, verdict: Verdict, coverage added: Coverage, arm: String? = nil, backends: [String: Bool] = [:]) {
        state.tests += 1
        if let arm { state.schedule.record(local: k, arm: arm, failed: verdict.isFinding) }
        for (name, failed) in backends { state.schedule.record(local: k, arm: name, failed: failed) }
        state.verdicts[verdict.rawValue, default: 0] += 1
        coverage.merge(added)
        state.steering.record(local: k, compiler: added.compiler)
        var ahead = Set(state.completedAhead)
        ahead.insert(k)
        while ahead.remove(state.nextTest) != nil { state.nextTest += 1 }
        state.completedAhead = ahead.sorted()
    }

    /// Counts a completed test's backend outcomes by triage class.
    func tally(_ report: TestReport, operatorNames: Set<String>) {
        triage.add(report, operatorNames: operatorNames)
    }

    /// Sets the campaign clock (earlier runs plus this one).
    func setElapsed(_ seconds: Double) { state.elapsed = seconds }

    /// Records a hit of a finding: a new folder from the staged test, or one more hit on a known one.
    /// Returns true when the finding is new.
    @discardableResult
    func record(_ report: TestReport, staged: String, elapsed: Double, library: SpecLibrary, repro: String) throws -> Bool {
        guard let fingerprint = report.fingerprint else { throw CampaignError.io("a failing test without a fingerprint (staged in '\(staged)')") }
        if var known = findings[fingerprint] {
            known.hits += 1
            findings[fingerprint] = known
            try AtomicFile.writeJSON(known, to: "\(findingsPath)/\(known.id)/finding.json")
            return false
        }
        let id = fingerprint.id
        let record = FindingRecord(firstHit: report, fingerprint: fingerprint, elapsed: elapsed, repro: repro)
        let folder = "\(stagingPath)/\(id)"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.moveItem(atPath: staged, toPath: folder)
        try FindingFiles.complete(folder, record: record, config: config, library: library)
        let final = "\(findingsPath)/\(id)"
        try? FileManager.default.removeItem(atPath: final)
        try AtomicFile.publishDirectory(folder, to: final)
        findings[fingerprint] = record
        return true
    }

    /// Writes the counters, the coverage and the triage counts (after a batch of tests).
    func saveProgress() throws {
        try AtomicFile.writeJSON(state, to: statePath)
        try AtomicFile.writeJSON(coverage, to: coveragePath)
        try AtomicFile.writeJSON(triage, to: triagePath)
    }

    /// Appends one sample to the time series.
    func appendStats(_ sample: StatsSample) throws {
        let line = String(decoding: try JSONCoding.encode(sample, pretty: false), as: UTF8.self)
        try AtomicFile.appendLine(line, to: statsPath)
    }

    /// The findings in order of first hit.
    public var orderedFindings: [FindingRecord] {
        findings.values.sorted { ($0.elapsed, $0.id) < ($1.elapsed, $1.id) }
    }

    /// The summary of the campaign so far, its known findings marked.
    func summary(last: StatsSample?) -> CampaignSummary {
        let ordered = orderedFindings
        return CampaignSummary(config: config, state: state, findings: ordered, last: last, known: known.matching(ordered),
                               triage: triage)
    }

    /// Writes summary.json, summary.md and junit.xml.
    func saveSummary(last: StatsSample?) throws {
        let summary = summary(last: last)
        try AtomicFile.writeJSON(summary, to: path + "/summary.json")
        try AtomicFile.write(SummaryRendering.markdown(summary), to: path + "/summary.md")
        try AtomicFile.write(SummaryRendering.junit(summary), to: path + "/junit.xml")
    }
}

extension FindingRecord {
    /// The record of a finding whose first hit is `report` (filed under `fingerprint`), `elapsed` seconds into the
    /// run, rerun by `repro`.
    init(firstHit report: TestReport, fingerprint: Fingerprint, elapsed: Double, repro: String) {
        self.init(id: fingerprint.id, fingerprint: fingerprint, verdict: report.verdict, triage: report.triage, stage: report.stage,
                  backends: report.backends, operators: report.operators, message: report.message,
                  test: report.index, testSeed: report.seed, elapsed: elapsed, hits: 1, repro: repro,
                  culpritPass: report.culpritPass)
    }
}
