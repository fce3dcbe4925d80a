import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Compiled shared objects kept between runs in a private folder (`NativeCacheFolder`), each checked before loading.
///
/// An entry is `KEY.so` with `KEY.sha256` beside it: KEY is the SHA-256 of the compiler's identity, the flags and
/// the C source; the `.sha256` file holds the SHA-256 of the library's bytes, compared before every load, so a
/// truncated or altered library is built again instead of loaded. Both files are renamed into place, so concurrent
/// workers never see a half-written one. Writing an entry evicts the least recently used entries (last use is the
/// `.sha256` file's modification time, renewed at each load) down to seven eighths of `byteLimit` once the entries
/// take more than `byteLimit`.
/// The folder is scanned at a process's first write and then only when this process's running total passes the
/// bound or every `rescanInterval` writes (other processes' writes): a scan of a full cache costs more than a build.
/// Only files named like entries (and stale temporary files of entries) are ever removed from the folder.
public final class NativeCache: Sendable {
    /// The trusted folder; nil when the configured one was refused: each library is then built in a fresh private
    /// temporary folder and removed as soon as it is loaded.
    public let folder: String?
    /// Why the configured folder is not used; nil when it is.
    public let refusal: String?
    /// The bytes the entries may take after a write (one entry larger than this is still kept).
    public let byteLimit: Int
    /// The entries' bytes as of the last scan plus this process's writes since; nil before the first scan.
    private let tally = Tally()

    /// Writes between two scans of the folder, at most: the bound then holds up to what other processes wrote
    /// in between.
    static let rescanInterval = 64

    /// An entry's `.sha256` file: 64 hex digits and a newline.
    static let digestFileBytes = 65

    /// 256 MiB: a few thousand libraries of a fuzzing campaign's models.
    public static let defaultByteLimit = 256 << 20

    /// The cache `environment` configures, with a warning on stderr when its folder is refused.
    public static let shared: NativeCache = {
        let cache = NativeCache(folder: NativeCacheFolder.configured())
        if let why = cache.refusal {
            FileHandle.standardError.write(Data("warning: native code is not cached: \(why); building in a private temporary folder instead\n".utf8))
        }
        return cache
    }()

    /// A cache in `folder` (created mode 0700 if missing; refused when someone else could write to it).
    public init(folder: String?, byteLimit: Int = defaultByteLimit) {
        self.byteLimit = byteLimit
        guard let folder else {
            (self.folder, refusal) = (nil, "there is no home folder to keep it in (set GRAPHSMITH_CACHE)")
            return
        }
        if let problem = NativeCacheFolder.problem(with: folder) {
            (self.folder, refusal) = (nil, "cache folder \(folder): \(problem)")
        } else {
            (self.folder, refusal) = (folder, nil)
        }
    }

    /// The key of the library built from `source` at `optimization` by `compiler` (its installed version).
    static func key(source: String, optimization: String, compiler: CCompiler = .system) -> String {
        let flags = compiler.flags(optimization)
        let material = ["graphsmith-native 1", compiler.identity, flags.preferred.joined(separator: " "),
                        flags.fallback.joined(separator: " "), source]
        return SHA256.hex(material.joined(separator: "\n"))
    }

    /// The path of entry `key` when its library matches its recorded digest (marking it used); nil when it is
    /// missing, incomplete, or corrupt.
    func verified(_ key: String) -> String? {
        guard let folder else { return nil }
        let so = "\(folder)/\(key).so", sum = "\(folder)/\(key).sha256"
        guard Self.isOwnRegularFile(so), Self.isOwnRegularFile(sum),
              let recorded = try? String(contentsOfFile: sum, encoding: .utf8),
              let bytes = FileManager.default.contents(atPath: so),
              recorded.trimmingCharacters(in: .whitespacesAndNewlines) == SHA256.hex(bytes) else { return nil }
        utimes(sum, nil)
        return so
    }

    /// A new path in the cache folder for a library being built (a hidden temporary name).
    func temporaryPath(for key: String) -> String? {
        folder.map { "\($0)/.\(key).\(UUID().uuidString).tmp" }
    }

    /// Moves the library built at `built` into place as entry `key`, records its digest, and evicts old entries.
    func store(_ built: String, key: String) throws -> String {
        guard let folder else { throw LoweringError("no native-code cache folder") }
        guard let bytes = FileManager.default.contents(atPath: built) else { throw LoweringError("cannot read the compiled library \(built)") }
        let so = "\(folder)/\(key).so", sum = "\(folder)/\(key).sha256", sumTemp = built + ".sha256"
        guard FileManager.default.createFile(atPath: sumTemp, contents: Data((SHA256.hex(bytes) + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw LoweringError("cannot write \(sumTemp)")
        }
        // The library first, then its digest: a reader in between finds a library without a matching digest and
        // builds it again, never loads an unchecked one.
        guard rename(built, so) == 0, rename(sumTemp, sum) == 0 else {
            unlink(sumTemp)
            throw LoweringError("cannot move the compiled library into \(folder): \(String(cString: strerror(errno)))")
        }
        if tally.needsScan(adding: bytes.count + Self.digestFileBytes, limit: byteLimit, interval: Self.rescanInterval) { evict(keeping: key) }
        return so
    }

    /// Removes entry `key` (a corrupt one, before it is built again).
    func remove(_ key: String) {
        guard let folder else { return }
        unlink("\(folder)/\(key).sha256")
        unlink("\(folder)/\(key).so")
    }

    /// Removes least recently used entries until the rest take at most `byteLimit` bytes (never `key`, just
    /// written), and temporary files left by killed processes.
    func evict(keeping key: String) {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        var entries: [(key: String, bytes: Int, used: Double)] = []
        let now = Date().timeIntervalSince1970
        for name in names {
            let path = "\(folder)/\(name)"
            if Self.isTemporary(name) {
                if let st = Self.ownRegularFile(path), now - Self.modified(st) > 3600 { unlink(path) }
                continue
            }
            guard name.hasSuffix(".so"), Self.isKey(String(name.dropLast(3))), let so = Self.ownRegularFile(path) else { continue }
            let k = String(name.dropLast(3))
            let sum = Self.ownRegularFile("\(folder)/\(k).sha256")
            entries.append((k, Int(so.st_size) + Int(sum?.st_size ?? 0), Self.modified(sum ?? so)))
        }
        var total = entries.reduce(0) { $0 + $1.bytes }
        // Down to seven eighths once over the bound: a full cache then takes many writes before the next eviction
        // (and the next scan) instead of one.
        let target = total > byteLimit ? byteLimit - byteLimit / 8 : byteLimit
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > target && entry.key != key {
            remove(entry.key)
            total -= entry.bytes
        }
        tally.scanned(total)
    }

    /// The running total between scans, shared by the threads of one process.
    private final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: Int?
        private var writes = 0

        /// Adds one written entry; true when the folder should be scanned now.
        func needsScan(adding entry: Int, limit: Int, interval: Int) -> Bool {
            lock.withLock {
                writes += 1
                guard let known = bytes else { return true }
                bytes = known + entry
                return known + entry > limit || writes % interval == 0
            }
        }

        func scanned(_ total: Int) { lock.withLock { bytes = total } }
    }

    static func isKey(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// A temporary file of an entry being written: `.KEY.UUID.tmp` and what is derived from it.
    private static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp") && isKey(String(name.dropFirst().prefix(64)))
    }

    private static func isOwnRegularFile(_ path: String) -> Bool { ownRegularFile(path) != nil }

    /// The status of `path` when it is a regular file (not a link) owned by this user.
    private static func ownRegularFile(_ path: String) -> stat? {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == geteuid() else { return nil }
        return st
    }

    private static func modified(_ st: stat) -> Double {
        Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
    }
}
