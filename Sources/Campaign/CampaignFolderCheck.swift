import Foundation

/// What a directory must be before a campaign writes into it: a new or empty folder (or the remains of a campaign
/// that died while being created) for a new campaign, a whole campaign for `--resume`.
///
/// A campaign rewrites `state.json`, `summary.md` and the rest wholesale, so a folder of someone else's files is
/// refused rather than overwritten; and a campaign folder with a part missing or damaged is refused rather than
/// resumed from scratch, which would count its old findings' hits again from test 0.
enum CampaignFolderCheck {
    /// The names a campaign writes before its `config.json` (which is written last, see `CampaignStore.create`).
    static let creationNames: Set<String> = ["findings", ".staging", CampaignLock.fileName, "state.json", "coverage.json",
                                             "triage.json"]

    /// Throws unless `path` is absent, an empty folder, or a folder holding only what a dying creation leaves.
    static func forCreate(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else {
            throw CampaignError.usage("'\(path)' is a file, not a folder (--out names the campaign folder)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let foreign = names.filter { !creationNames.contains($0) }.sorted()
        guard foreign.isEmpty else {
            throw CampaignError.usage("'\(path)' holds no campaign and is not empty (it has \(list(foreign))); "
                                      + "choose a new or empty folder for --out")
        }
    }

    /// Throws, naming the file, when a campaign folder cannot be resumed as it is (config.json already read).
    static func forResume(_ path: String, config: CampaignConfig) throws {
        if let problem = config.problem { throw CampaignError.badFile(path + "/config.json", problem) }
        var isDir: ObjCBool = false
        let findings = path + "/findings"
        guard FileManager.default.fileExists(atPath: findings, isDirectory: &isDir) else {
            throw CampaignError.badFile(findings, "missing (the campaign's findings folder); the campaign cannot be resumed")
        }
        guard isDir.boolValue else { throw CampaignError.badFile(findings, "not a folder; the campaign cannot be resumed") }
        guard FileManager.default.fileExists(atPath: path + "/state.json") else {
            throw CampaignError.badFile(path + "/state.json", "missing (the campaign's counters); resuming would start "
                                        + "again from test 0 and count its findings' hits twice")
        }
    }

    /// The first few names, quoted.
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 3 ? shown + " and \(names.count - 3) more" : shown
    }
}

extension CampaignConfig {
    /// Why the stored config cannot drive a campaign (a shard that does not exist traps the test numbering), or nil.
    var problem: String? {
        guard shardCount >= 1, (0..<shardCount).contains(shardIndex) else {
            return "shard \(shardIndex)/\(shardCount) is not a shard (needs 0 <= shardIndex < shardCount)"
        }
        guard testTimeout > 0, testTimeout.isFinite else { return "testTimeout \(testTimeout) is not a positive time" }
        if let s = toleranceScale, !(s > 0 && s.isFinite) { return "toleranceScale \(s) is not a positive factor" }
        return nil
    }
}

extension CampaignState {
    /// The most tests a campaign folder may claim: far beyond any real campaign, and far below where the test
    /// numbering (`shardIndex + k * shardCount`) would overflow.
    static let maximumTests = 1 << 40

    /// Why the stored counters cannot be continued (a negative or absurd test number), or nil.
    var problem: String? {
        let range = 0...Self.maximumTests
        guard range.contains(nextTest) else { return "nextTest \(nextTest) is not a test number (0 to \(Self.maximumTests))" }
        guard range.contains(tests) else { return "tests \(tests) is not a test count (0 to \(Self.maximumTests))" }
        if let bad = completedAhead.first(where: { !range.contains($0) }) {
            return "completedAhead holds \(bad), not a test number (0 to \(Self.maximumTests))"
        }
        if let (verdict, count) = verdicts.first(where: { !range.contains($0.value) }) {
            return "verdicts[\(verdict)] is \(count), not a test count"
        }
        guard elapsed >= 0, elapsed.isFinite else { return "elapsed \(elapsed) is not a time" }
        return nil
    }
}
