import Foundation

/// A kind of folder graphsmith writes whole and may later replace (a reduced finding, a model's test data), and the
/// rule that keeps that from deleting anything else: an existing folder is replaced only when it is empty or holds
/// nothing but what graphsmith writes into a folder of this kind.
///
/// The new folder is staged beside its place in a folder of its own (made by mkdtemp, so it cannot be a user's) and
/// renamed into place; an earlier one is first renamed aside, so a crash leaves the old folder or the new one.
public struct OwnedFolder: Sendable {
    /// How messages call an existing folder of this kind, e.g. `an earlier reduction`.
    public var kind: String
    /// What to do about a folder that is refused, e.g. `choose a new or empty folder for --out`.
    public var advice: String
    /// Every name a folder of this kind may hold.
    public var names: Set<String>
    /// Names all present in a folder of this kind (so that a folder of other things graphsmith writes is not one).
    public var required: Set<String>

    public init(kind: String, advice: String, names: Set<String>, required: Set<String>) {
        self.kind = kind
        self.advice = advice
        self.names = names
        self.required = required
    }

    /// Throws a one-line error naming `path` unless it is absent, an empty folder, or a folder of this kind.
    public func check(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw CampaignError.io("cannot use '\(path)': \(String(cString: strerror(errno)))") }
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw CampaignError.usage("'\(path)' is a symbolic link, not a folder; \(advice)")
        default: throw CampaignError.usage("'\(path)' is a file, not a folder; \(advice)")
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard !present.isEmpty, !holdsOnlyOwnFiles(present) else { return }
        let foreign = present.filter { !names.contains($0) }.sorted()
        let shown = (foreign.isEmpty ? present.sorted() : foreign).prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        throw CampaignError.usage("'\(path)' is not empty and is not \(kind) (it has \(shown)); \(advice)")
    }

    /// Whether a folder holding `present` is one of this kind.
    func holdsOnlyOwnFiles(_ present: [String]) -> Bool {
        required.isSubset(of: present) && present.allSatisfy(names.contains)
    }

    /// A new, empty folder beside `path` (its parent made when missing) to assemble the new folder in.
    public static func stagingFolder(beside path: String) throws -> String {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw CampaignError.io("cannot create '\(folder)': \(error.localizedDescription)")
        }
        var template = Array("\(folder)/.\((path as NSString).lastPathComponent).partial-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CampaignError.io("cannot create a staging folder beside '\(path)': \(String(cString: strerror(errno)))")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Renames the complete `staged` folder to `path`, checked again now; an earlier folder of this kind there is
    /// renamed aside first and removed once the new one is in place.
    public func publish(_ staged: String, to path: String) throws {
        try check(path)
        guard let aside = try moveAside(path) else { return try AtomicFile.publishDirectory(staged, to: path) }
        do { try AtomicFile.publishDirectory(staged, to: path) } catch {
            try? AtomicFile.publishDirectory(aside, to: path)
            throw error
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// Removes `path` when it is a folder of this kind; anything else there is refused.
    public func remove(_ path: String) throws {
        try check(path)
        if let aside = try moveAside(path) { try? FileManager.default.removeItem(atPath: aside) }
    }

    /// Renames an existing `path` (already checked) to a new folder beside it; nil when there is nothing there.
    private func moveAside(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let aside = try Self.stagingFolder(beside: path)
        // Renaming a folder over the empty `aside` is atomic: `path` is never half-removed.
        try AtomicFile.publishDirectory(path, to: aside)
        return aside
    }
}
