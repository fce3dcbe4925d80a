import Foundation

/// The exclusive hold of one process on a campaign directory, for as long as it runs the campaign.
///
/// Two campaigns writing one directory would interleave their counters and findings and lose one's work, so a
/// campaign takes `flock` on `DIR/.lock` before it writes anything and keeps it to its end. The kernel drops the
/// lock when the process exits however it ends (even `kill -9`), so a crashed campaign never leaves a stale lock;
/// the file itself stays, holding the last holder's process id for the message a second campaign gets.
public final class CampaignLock: @unchecked Sendable {
    /// The lock file's name inside the campaign directory.
    public static let fileName = ".lock"

    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Takes the lock of the campaign directory `dir` (which must exist), or throws when another process holds it.
    public static func acquire(_ dir: String) throws -> CampaignLock {
        let path = dir + "/" + fileName
        // Close-on-exec: a worker process must not inherit the lock and keep it after the campaign has ended.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw CampaignError.io("cannot lock '\(dir)': \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = holderDescription(fd)
            close(fd)
            guard code == EWOULDBLOCK else {
                throw CampaignError.io("cannot lock '\(dir)': \(path): \(String(cString: strerror(code)))")
            }
            throw CampaignError.usage("'\(dir)' is in use by another graphsmith campaign\(holder); wait for it to end, "
                                      + "or choose another --out")
        }
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = pwrite(fd, pid, pid.count, 0) }
        return CampaignLock(fd: fd)
    }

    /// ` (process N)` from the lock file, or nothing when it holds no number.
    private static func holderDescription(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0, let pid = Int(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return "" }
        return " (process \(pid))"
    }
}
