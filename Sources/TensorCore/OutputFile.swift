import Foundation

/// A write that did not happen: the path as given and why, as one line (`cannot write 'PATH': REASON`).
public struct OutputFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    init(_ path: String, errno code: Int32) { self.init(path, String(cString: strerror(code))) }

    public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Writes a file without ever leaving it half-written: the two ways graphsmith writes files.
///
/// `write(_:to:)` is for a path the user named (`convert IN OUT`, `--out FILE`). A regular file (or a new one) is
/// written to a temporary file beside it and renamed over it, so a crash leaves the old file or the new one. A
/// special file cannot be replaced that way: renaming over `/dev/null` would turn the device into a regular file,
/// and renaming in `/dev` is not allowed to a normal user. So a character device or a FIFO is opened and written in
/// place, and a path naming one of this process's file descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`)
/// is written to that descriptor as it is open. A symbolic link is followed: the file it points to is written and
/// the link stays a link.
///
/// `replace(_:at:)` is for a file graphsmith names inside a folder of its own (a campaign's `state.json`): whatever
/// is at the path is replaced by rename, never followed, so a link or FIFO planted there cannot send the write
/// elsewhere or block it.
///
/// Either throws `OutputFileError` when the write fails (a full disk, `/dev/full`). `durable` also flushes the file
/// and its folder to disk, so that the write survives a power loss.
public enum OutputFile {
    /// Where the bytes go once links are followed.
    enum Target: Equatable {
        /// A regular file or a new one at this path (links resolved); `mode` is the existing file's permissions.
        case replace(String, mode: mode_t?)
        /// A device or a FIFO, written in place; `append` for a link to another process's file descriptor.
        case stream(String, append: Bool)
        /// One of this process's own descriptors (`/dev/stdout` is 1), written as it is open.
        case descriptor(Int32)
    }

    /// Writes `data` to the file the user named `path` (see the type's description for what each kind gets).
    public static func write(_ data: Data, to path: String, durable: Bool = false) throws {
        switch try target(of: path) {
        case .replace(let resolved, let mode): try replace(resolved, with: data, mode: mode, durable: durable, named: path)
        case .stream(let resolved, let append): try stream(data, to: resolved, append: append, named: path)
        case .descriptor(let fd):
            // What was printed before goes first; the descriptor keeps its offset and O_APPEND, and is not closed.
            fflush(nil)
            if let failure = writeAll(data, to: fd) { throw OutputFileError(path, errno: failure) }
        }
    }

    /// Writes UTF-8 text to the file the user named `path` (see `write(_:to:durable:)`).
    public static func write(_ text: String, to path: String, durable: Bool = false) throws {
        try write(Data(text.utf8), to: path, durable: durable)
    }

    /// Replaces whatever is at `path` (not a folder) with a regular file holding `data`, links not followed.
    public static func replace(_ data: Data, at path: String, durable: Bool = true) throws {
        var info = stat()
        let exists = lstat(path, &info) == 0
        if exists && info.st_mode & S_IFMT == S_IFDIR { throw OutputFileError(path, "it is a directory") }
        let mode = exists && info.st_mode & S_IFMT == S_IFREG ? info.st_mode & 0o7777 : nil
        try replace(path, with: data, mode: mode, durable: durable, named: path)
    }

    /// Symbolic links followed at most this many times, as the kernel does before ELOOP.
    static let maximumLinks = 40

    /// What `path` is, following symbolic links one at a time so that a dangling link names the file to create.
    static func target(of path: String) throws -> Target {
        var current = path
        for _ in 0...maximumLinks {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT { return .replace(current, mode: nil) }
                throw OutputFileError(path, errno: errno)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .replace(current, mode: info.st_mode & 0o7777)
            case S_IFCHR, S_IFIFO: return .stream(current, append: false)
            case S_IFDIR: throw OutputFileError(path, "it is a directory")
            case S_IFLNK:
                // The kernel's links to open files lead to names like `pipe:[123]`: write to the descriptor itself,
                // or through the link for another process's (reopening a pipe or socket of ours can be refused).
                if let fd = ownDescriptor(current) { return .descriptor(fd) }
                if namesDescriptor(current) { return .stream(current, append: true) }
                current = try linkTarget(current, named: path)
            default:
                throw OutputFileError(path, "it is a block device or a socket (graphsmith writes files, character devices and pipes)")
            }
        }
        throw OutputFileError(path, errno: ELOOP)
    }

    /// Whether `path` is an entry of a file-descriptor folder (`/dev/fd/N`, `/proc/PID/fd/N`, `/proc/self/fd/N`).
    static func namesDescriptor(_ path: String) -> Bool {
        let parts = (path as NSString).pathComponents
        guard parts.count >= 3, parts[parts.count - 2] == "fd" else { return false }
        return parts.count == 4 && parts[1] == "dev" || parts.count == 5 && parts[1] == "proc"
    }

    /// N when `path` is `/dev/fd/N`, `/proc/self/fd/N` or `/proc/PID/fd/N` of this process, else nil.
    static func ownDescriptor(_ path: String) -> Int32? {
        guard namesDescriptor(path), let fd = Int32(path.split(separator: "/").last ?? "") else { return nil }
        let parts = (path as NSString).pathComponents
        let own = parts[1] == "dev" || parts[2] == "self" || parts[2] == "\(getpid())"
        return own ? fd : nil
    }

    /// The path a symbolic link points to, a relative target taken from the link's folder.
    static func linkTarget(_ link: String, named path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(link, &buffer, buffer.count - 1)
        guard n >= 0 else { throw OutputFileError(path, errno: errno) }
        let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        return ((link as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
    }

    /// Temporary file beside `resolved` renamed over it; when `durable`, the file and then the folder (so that the
    /// rename survives a power loss) are flushed to disk.
    static func replace(_ resolved: String, with data: Data, mode: mode_t?, durable: Bool, named path: String) throws {
        let dir = (resolved as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        var template = Array("\(folder)/.\((resolved as NSString).lastPathComponent).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputFileError(path, errno: errno) }
        let temp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // mkstemp makes the file 0600: give it the permissions of the file it replaces, else the usual 0644.
        var failure = fchmod(fd, mode ?? 0o644) == 0 ? writeAll(data, to: fd) : errno
        if failure == nil, durable, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temp, resolved) != 0 { failure = errno }
        if let failure {
            unlink(temp)
            throw OutputFileError(path, errno: failure)
        }
        if durable { syncDirectory(folder) }
    }

    /// Opens a device, FIFO or descriptor link and writes to it in place (it cannot be replaced, nor flushed).
    static func stream(_ data: Data, to resolved: String, append: Bool, named path: String) throws {
        let fd = open(resolved, O_WRONLY | O_NOCTTY | O_CLOEXEC | (append ? O_APPEND : 0))
        guard fd >= 0 else { throw OutputFileError(path, errno: errno) }
        var failure = writeAll(data, to: fd)
        if close(fd) != 0, failure == nil { failure = errno }
        if let failure { throw OutputFileError(path, errno: failure) }
    }

    /// Writes every byte (retrying short writes and interruptions); the errno of a failure, nil on success.
    static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { buf -> Int32? in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return n < 0 ? errno : EIO }
                offset += n
            }
            return nil
        }
    }

    /// Flushes a directory's entries (new names, renames) to disk.
    public static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
