import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program run to completion, found on the PATH, with its standard input read from a file and its standard output
/// and error captured together.
///
/// Foundation's `Process.waitUntilExit` polls its run loop every 50 ms: each C compiler run of a native test sat
/// 50 ms idle after the compiler had finished, longer than TinyCC takes to build. This waits on the child itself.
enum ChildProcess {
    /// How the program ended: its exit status (127 when it could not be started, as a shell says), and what it wrote.
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `arguments` (the program first) with standard input from `input` (`/dev/null` when nil).
    static func run(_ arguments: [String], input: String? = nil) throws -> Result {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LoweringError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec, so that a child another thread starts does not hold this pipe open (the duplicates made
        // for this child are not).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0]!, &actions, nil, argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard spawned == 0 else { return Result(status: 127, output: String(cString: strerror(spawned))) }
        let output = readAll(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited: the status's second byte; killed by a signal: 128 + the signal, as a shell says.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, output: String(decoding: output, as: UTF8.self))
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes += chunk[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            return bytes
        }
    }
}
