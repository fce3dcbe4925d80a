import Foundation
import TensorCore

/// Crash-safe file writes: a write either fully happened or did not happen at all.
///
/// The data goes to a temporary file in the same directory, is flushed to disk, and is renamed over the target;
/// the directory is flushed too so the rename itself survives a power loss (`OutputFile` does it). `kill -9` at any
/// moment leaves either the old file or the new one, never a truncated one.
public enum AtomicFile {
    /// Writes `data` to `path` atomically and durably, replacing whatever is there (a link is not followed).
    public static func write(_ data: Data, to path: String) throws {
        do { try OutputFile.replace(data, at: path) } catch let e as OutputFileError { throw CampaignError.io(e.description) }
    }

    /// Writes `data` atomically and durably to a file the user named: a link is followed, a device or FIFO written in
    /// place (see `OutputFile.write`).
    public static func writeUserFile(_ data: Data, to path: String) throws {
        do { try OutputFile.write(data, to: path, durable: true) } catch let e as OutputFileError {
            throw CampaignError.io(e.description)
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes a Codable value as pretty, key-sorted JSON atomically.
    public static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        try write(JSONCoding.encode(value), to: path)
    }

    /// Appends one line to `path` and flushes it (for append-only logs such as `stats.jsonl`).
    ///
    /// A crash can at worst lose or cut the last line; readers skip a final line that does not parse.
    public static func appendLine(_ line: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw CampaignError.io("cannot append to '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        guard Foundation.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw CampaignError.io("cannot append to '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Renames a fully written directory into place, then flushes the parent directory.
    public static func publishDirectory(_ staged: String, to path: String) throws {
        guard rename(staged, path) == 0 else {
            throw CampaignError.io("cannot move '\(staged)' to '\(path)': \(String(cString: strerror(errno)))")
        }
        syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Flushes a directory's entries (new names, renames) to disk.
    public static func syncDirectory(_ dir: String) { OutputFile.syncDirectory(dir) }
}

/// JSON encoding shared by every campaign file: sorted keys so files diff and hash stably.
public enum JSONCoding {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return try e.encode(value)
    }

    /// Decodes `path`, with an error that names the file (and `kind`, else the type, as what it should have been).
    public static func decode<T: Decodable>(_ type: T.Type, from path: String, kind: String? = nil) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CampaignError.badFile(path, "missing or unreadable")
        }
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw CampaignError.badFile(path, "not a valid \(kind ?? "\(type)") file (\(describe(error)))")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: return "corrupt JSON"
        default: return "unreadable"
        }
    }
}

/// A campaign failure that is the user's to fix (a bad directory, a corrupt file) or an I/O failure.
public enum CampaignError: Error, CustomStringConvertible, Equatable {
    case io(String)
    case badFile(String, String)
    case usage(String)

    public var description: String {
        switch self {
        case .io(let m), .usage(let m): return m
        case .badFile(let path, let m): return "\(path): \(m)"
        }
    }
}
