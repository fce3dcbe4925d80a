import Campaign
import Foundation
import SpecLib

/// `graphsmith reduce`: one finding folder minimized and written as a reduced finding folder.
public struct Reduction {
    public let folder: String
    public let record: FindingRecord
    public let config: CampaignConfig

    /// Opens the finding in `folder`; `name` is how messages call it (the path as the user gave it).
    public init(folder: String, name: String) throws {
        guard FileManager.default.fileExists(atPath: folder + "/finding.json") else {
            throw CampaignError.usage("'\(name)' is not a finding folder (no finding.json)")
        }
        self.folder = folder
        (record, config) = try Replay.check(folder)
    }

    /// Where the reduced finding goes by default: CAMPAIGN/reduced/ID for a campaign's finding (kept out of findings/,
    /// which holds only campaign findings; the folder is created), else FINDING-reduced.
    public static func defaultOutput(_ folder: String) -> String {
        let parent = (folder as NSString).deletingLastPathComponent
        guard (parent as NSString).lastPathComponent == "findings" else { return folder + "-reduced" }
        let campaign = (parent as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: campaign + "/reduced", withIntermediateDirectories: true)
        return campaign + "/reduced/" + (folder as NSString).lastPathComponent
    }

    /// Reduces the finding within `timeLimit` seconds, running candidates on `worker` (staged under `scratch`), and
    /// writes the reduced finding to `target`; nil when the finding no longer reproduces. `progress` gets a line per step.
    public func run(library: SpecLibrary, worker: TestWorker, scratch: String, timeLimit: Double, to target: String,
                    progress: (String) -> Void = { _ in }) throws -> ReductionSummary? {
        let start = Date()
        let reducer = try Reducer(folder: folder, record: record, config: config, library: library, worker: worker, scratch: scratch,
                                  timeLimit: timeLimit)
        let size = ReductionSummary.Size(operators: reducer.model.nodes.count, elements: Subgraph.elements(reducer.model),
                                         passes: reducer.neededPasses.count)
        guard try reducer.reduce(progress: progress) else { return nil }
        return try ReducedFinding.write(reducer, original: record, originalSize: size, seconds: Date().timeIntervalSince(start),
                                        to: target, worker: worker)
    }
}
