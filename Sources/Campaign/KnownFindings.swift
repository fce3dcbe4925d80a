import Foundation
import Oracle

// A file of findings the user already knows about (an open upstream bug), like a sanitizer's suppression list:
// a campaign or report given it lists those findings apart and fails only on the others. Layout:
//
//   {"version": 1, "known": [{"id": "f-…", "fingerprint": {…}, "note": "https://…/issues/123", "added": "2026-12-06"}]}
//
// A finding is known when its fingerprint's id is in the file. The fingerprint is stored too, so a reader can see
// what the id stands for without the campaign that found it.

/// One known finding: the fingerprint id it matches and why it is known.
public struct KnownFinding: Codable, Sendable, Hashable {
    /// The fingerprint id (`f-` and 12 hex digits), as in a finding folder's name.
    public var id: String
    /// The fingerprint the id was computed from (absent in a hand-written entry, which needs only the id).
    public var fingerprint: Fingerprint?
    /// Why the finding is known, typically the URL of its upstream issue.
    public var note: String
    /// The day it was added, `YYYY-MM-DD`.
    public var added: String

    public init(id: String, fingerprint: Fingerprint?, note: String, added: String) {
        self.id = id
        self.fingerprint = fingerprint
        self.note = note
        self.added = added
    }
}

/// The contents of a known-findings file.
public struct KnownFindings: Codable, Sendable, Hashable {
    /// The version of the known-findings file format; bumped on incompatible change.
    public static let formatVersion = 1

    public var version = formatVersion
    /// In the order they were added.
    public var known: [KnownFinding]

    public init(known: [KnownFinding] = []) { self.known = known }

    /// The entry for a fingerprint id, if known.
    public func entry(for id: String) -> KnownFinding? { known.first { $0.id == id } }

    /// The entry a finding matches, if any (by its fingerprint's id).
    public func entry(for finding: FindingRecord) -> KnownFinding? { entry(for: finding.fingerprint.id) }

    /// The entries `findings` match, in the order of `findings`.
    public func matching(_ findings: [FindingRecord]) -> [KnownFinding] { findings.compactMap { entry(for: $0) } }

    /// Whether a run with these findings fails `--fail-on-findings`: when any finding of a failing triage class is
    /// not known.
    public static func failing(findings: [FindingRecord], known: KnownFindings) -> Bool {
        findings.contains { $0.triage.isFailing && known.entry(for: $0) == nil }
    }

    /// What `add` did with one finding.
    public enum Change: Sendable, Hashable {
        case added(KnownFinding)
        /// The id was there already; its note was `previousNote` and is now the new one.
        case updated(KnownFinding, previousNote: String)
    }

    /// Adds a finding, or replaces the note of the entry with its id (keeping the day it was first added).
    @discardableResult
    public mutating func add(_ finding: FindingRecord, note: String, added: String) -> Change {
        let id = finding.fingerprint.id
        if let k = known.firstIndex(where: { $0.id == id }) {
            let previous = known[k].note
            known[k].note = note
            known[k].fingerprint = finding.fingerprint
            return .updated(known[k], previousNote: previous)
        }
        let entry = KnownFinding(id: id, fingerprint: finding.fingerprint, note: note, added: added)
        known.append(entry)
        return .added(entry)
    }

    // MARK: Files

    /// Reads a known-findings file. Bad JSON, another format version, a malformed or repeated id, or an id that is not
    /// its fingerprint's, is a `CampaignError.badFile` naming the file.
    public static func read(_ path: String) throws -> KnownFindings {
        // The version first, so a file of another version says so rather than naming a field this one lacks.
        struct Header: Decodable { var version: Int }
        let header = try JSONCoding.decode(Header.self, from: path, kind: "known-findings")
        guard header.version == formatVersion else {
            throw CampaignError.badFile(path, "known-findings format version \(header.version), this graphsmith reads \(formatVersion)")
        }
        let file = try JSONCoding.decode(KnownFindings.self, from: path, kind: "known-findings")
        var seen: Set<String> = []
        for entry in file.known {
            guard isFindingID(entry.id) else { throw CampaignError.badFile(path, "'\(entry.id)' is not a finding id (f- and 12 hex digits)") }
            guard seen.insert(entry.id).inserted else { throw CampaignError.badFile(path, "finding \(entry.id) is listed twice") }
            if let f = entry.fingerprint, f.id != entry.id {
                throw CampaignError.badFile(path, "finding \(entry.id): its fingerprint's id is \(f.id) (fix the id or drop the fingerprint)")
            }
        }
        return file
    }

    /// Reads several files as one: an id in more than one keeps the entry of the first file naming it.
    public static func read(files: [String]) throws -> KnownFindings {
        var all = KnownFindings()
        for path in files {
            for entry in try read(path).known where all.entry(for: entry.id) == nil { all.known.append(entry) }
        }
        return all
    }

    /// Reads `path`, or an empty list when there is no such file (the first `known add` creates it).
    public static func readIfPresent(_ path: String) throws -> KnownFindings {
        FileManager.default.fileExists(atPath: path) ? try read(path) : KnownFindings()
    }

    /// Writes the file atomically, readable for hand edits (URLs with their slashes, a final newline).
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.writeUserFile(try encoder.encode(self) + Data("\n".utf8), to: path)
    }

    /// Adds the finding of each folder (`findings/f-…`, holding `finding.json`) to the file at `path`, created when
    /// missing, and writes it once all folders have been read.
    public static func add(folders: [String], note: String, file path: String, added: String) throws -> [Change] {
        let records = try folders.map(readFinding)
        var file = try readIfPresent(path)
        let changes = records.map { file.add($0, note: note, added: added) }
        try file.write(to: path)
        return changes
    }

    /// The record of a finding folder; an error names the folder when it is not one.
    public static func readFinding(_ folder: String) throws -> FindingRecord {
        let path = (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/finding.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw CampaignError.badFile(folder, "not a finding folder (no finding.json)")
        }
        return try JSONCoding.decode(FindingRecord.self, from: path)
    }

    /// Today as `YYYY-MM-DD` (UTC), the `added` day of a new entry.
    public static func today(_ now: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: now)
    }

    static func isFindingID(_ id: String) -> Bool {
        id.hasPrefix("f-") && id.count == 14 && id.dropFirst(2).allSatisfy(\.isHexDigit)
    }
}
