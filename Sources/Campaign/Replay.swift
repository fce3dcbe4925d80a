import Foundation
import Oracle

/// What replaying a finding gave.
public struct ReplayResult: Codable, Sendable {
    public enum Outcome: String, Codable, Sendable { case reproduces, fixed, changed }
    /// The finding folder.
    public var finding: String
    public var id: String
    public var outcome: Outcome
    /// The verdict and fingerprint of this run (the recorded fingerprint is in the finding).
    public var verdict: Verdict
    public var fingerprint: Fingerprint?
    public var message: String
}

/// Reruns saved findings in a worker process (a finding may crash or hang whatever runs it).
public enum Replay {
    /// The finding folders under `path`: the folder itself when it holds `finding.json`, else its `findings/`
    /// subfolders (a campaign), else its subfolders that hold a `finding.json` (a corpus).
    public static func findingFolders(_ path: String) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw CampaignError.usage("'\(path)': no such finding folder or directory")
        }
        if fm.fileExists(atPath: path + "/finding.json") { return [path] }
        let base = fm.fileExists(atPath: path + "/findings") ? path + "/findings" : path
        let names = ((try? fm.contentsOfDirectory(atPath: base)) ?? []).sorted()
        return names.map { "\(base)/\($0)" }.filter { fm.fileExists(atPath: $0 + "/finding.json") }
    }

    /// Checks a finding folder's files before anything runs, with an error naming the first bad file.
    public static func check(_ folder: String) throws -> (FindingRecord, CampaignConfig) {
        let record = try JSONCoding.decode(FindingRecord.self, from: folder + "/finding.json")
        let config = try JSONCoding.decode(CampaignConfig.self, from: folder + "/config.json")
        return (record, config)
    }

    /// Replays one finding with `worker` (started on `folder`'s config) and compares fingerprints.
    public static func run(_ folder: String, record: FindingRecord, config: CampaignConfig, worker: TestWorker) throws -> ReplayResult {
        let report = try worker.run(folder: folder, index: record.test, seed: record.testSeed, timeout: config.testTimeout)
        let outcome: ReplayResult.Outcome = record.isReproduced(by: report.fingerprint) ? .reproduces
            : (report.verdict.isFinding ? .changed : .fixed)
        return ReplayResult(finding: folder, id: record.id, outcome: outcome, verdict: report.verdict,
                            fingerprint: report.fingerprint, message: report.message)
    }
}

/// `graphsmith replay`: findings rerun, each on its own worker, against the outcome each is expected to have.
public struct ReplayRun {
    /// The outcome every finding should have; `auto` is what a regression corpus expects: a finding whose campaign
    /// injected faults reproduces, any other is fixed.
    public enum Expectation: String, Sendable, CaseIterable { case reproduces, fixed, auto }

    public var expect: Expectation
    /// Replays per finding (to check that it replays reliably).
    public var times: Int
    /// The worker that reruns the finding in a folder.
    public var worker: (String) -> TestWorker
    /// Checks, before anything replays, that the backends of a finding's campaign can run here (called once per
    /// distinct backend list and plugin list, with the first finding folder that has it).
    public var requireBackends: (CampaignConfig, String) throws -> Void

    public init(expect: Expectation, times: Int, worker: @escaping (String) -> TestWorker,
                requireBackends: @escaping (CampaignConfig, String) throws -> Void = { _, _ in }) {
        self.expect = expect
        self.times = times
        self.worker = worker
        self.requireBackends = requireBackends
    }

    /// One replay and the outcome it should have had.
    public struct Replayed: Sendable {
        public var folder: String
        public var result: ReplayResult
        public var expected: ReplayResult.Outcome
        public var asExpected: Bool { result.outcome == expected }
    }

    /// The outcome a finding of a campaign with `config` should have.
    public func expected(_ config: CampaignConfig) -> ReplayResult.Outcome {
        switch expect {
        case .reproduces: .reproduces
        case .fixed: .fixed
        case .auto: config.faults.isEmpty ? .fixed : .reproduces
        }
    }

    /// Checks every folder's files and its campaign's backends first (a bad file or a backend that cannot run stops
    /// the run before anything replays), then replays each
    /// `times` times, handing every replay to `each` as it completes.
    public func run(_ folders: [String], each: (Replayed) -> Void = { _ in }) throws -> [Replayed] {
        let checked = try folders.map { ($0, try Replay.check($0)) }
        var seen: Set<[String]> = []
        for (folder, (_, config)) in checked where seen.insert(config.backends + ["|"] + config.plugins).inserted {
            try requireBackends(config, folder)
        }
        var replays: [Replayed] = []
        for (folder, (record, config)) in checked {
            let worker = worker(folder)
            defer { worker.stop() }
            for _ in 0..<times {
                let r = Replayed(folder: folder, result: try Replay.run(folder, record: record, config: config, worker: worker),
                                 expected: expected(config))
                replays.append(r)
                each(r)
            }
        }
        return replays
    }
}
