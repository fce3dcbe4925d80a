import Campaign
import Foundation

/// The folder a reduced finding is written to (`reduce --out DIR`): new, empty, or an earlier reduction (it holds
/// `reduction.json` and only the files a reduction writes), which the new one replaces. Anything else (a user's
/// folder, a campaign, a finding) is refused before the reduction runs: an earlier version deleted whatever `--out`
/// named.
public enum ReductionOutput {
    /// Every name a reduced finding folder holds (`Staging`, `FindingFiles`, `ExternalRepro` and `ReducedFinding`).
    static let folder = OwnedFolder(
        kind: "an earlier reduction", advice: "choose a new or empty folder for the reduced finding",
        names: ["model.txt", "inputs", "outputs", "config.json", "model.onnx", "report.md", "finding.json", "reduction.json",
                "reduction.md", "repro.py", "bug-report.md", "model.py"],
        required: ["finding.json", "reduction.json"])

    /// Throws a one-line error naming `out` unless a reduction may be written there.
    public static func check(_ out: String) throws { try folder.check(out) }

    /// A new, empty folder beside `out` to assemble the reduced finding in.
    static func stagingFolder(for out: String) throws -> String { try OwnedFolder.stagingFolder(beside: out) }

    /// Renames the complete `staged` folder to `out`, replacing an earlier reduction (checked again now).
    static func publish(_ staged: String, to out: String) throws { try folder.publish(staged, to: out) }
}
