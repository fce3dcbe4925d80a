import Foundation

/// A child process spoken to in lines over pipes, with a deadline on every answer.
///
/// Used for out-of-process work that may crash or hang: the onnxruntime worker and the campaign's test workers.
/// The last few KiB of the child's stderr are kept, so a crash can be reported with the child's own message.
public final class WorkerProcess: @unchecked Sendable {
    /// Why no answer came: the child exited (with how) or the deadline passed.
    public enum Failure: Error { case exited(String), timedOut }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer = Data()
    private let lock = NSLock()
    private var pending = Data()
    private var closed = false
    private let available = DispatchSemaphore(value: 0)
    private var errorTail = Data()
    private var errorClosed = false
    private static let errorTailLimit = 4096

    /// Starts `executable` with `arguments` (and `environment` added to this process's own).
    public init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        // The parent's own ends stay out of every later child (another worker must not hold this one's stdin open).
        for h in [input.fileHandleForWriting, output.fileHandleForReading, errors.fileHandleForReading] {
            _ = fcntl(h.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] h in self?.receive(h.availableData) }
        errors.fileHandleForReading.readabilityHandler = { [weak self] h in self?.receiveError(h.availableData) }
        try process.run()
    }

    deinit { terminate() }

    /// Whether the child is still alive.
    public var isRunning: Bool { process.isRunning }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// The end of what the child wrote on stderr, after waiting (at most `timeout` seconds) for the child to close
    /// it: a child that just died may still have its last message in the pipe.
    public func finalStderrTail(timeout: Double = 2) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let done = errorClosed
            lock.unlock()
            if done { break }
            usleep(10_000)
        }
        return stderrTail
    }

    /// The end of what the child wrote on stderr so far.
    public var stderrTail: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: errorTail, as: UTF8.self)
    }

    private func receiveError(_ data: Data) {
        lock.lock()
        if data.isEmpty { errorClosed = true }
        errorTail.append(data)
        if errorTail.count > Self.errorTailLimit { errorTail = errorTail.suffix(Self.errorTailLimit) }
        lock.unlock()
    }

    private func receive(_ data: Data) {
        lock.lock()
        if data.isEmpty { closed = true } else { pending.append(data) }
        lock.unlock()
        available.signal()
    }

    /// Sends one line.
    public func send(_ line: String) throws {
        guard process.isRunning else { throw Failure.exited(exitDescription) }
        do {
            try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw Failure.exited(exitDescription)
        }
    }

    /// Reads one line, waiting at most `timeout` seconds.
    public func readLine(timeout: Double) throws -> String {
        let deadline = DispatchTime.now() + timeout
        while true {
            lock.lock()
            if let nl = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<nl]
                pending.removeSubrange(pending.startIndex...nl)
                lock.unlock()
                return String(decoding: line, as: UTF8.self)
            }
            let isClosed = closed
            lock.unlock()
            if isClosed {
                process.waitUntilExit()
                throw Failure.exited(exitDescription)
            }
            // Wait in slices, checking that the child lives: the end of its output is not always reported when it
            // dies (a trapping test worker was seen as a hang about once in a hundred traps with two jobs).
            let slice = min(deadline, DispatchTime.now() + 0.05)
            if available.wait(timeout: slice) == .timedOut {
                if !process.isRunning { return try lastLine() }
                if DispatchTime.now() >= deadline { throw Failure.timedOut }
            }
        }
    }

    /// What a child that died left: a whole line still in the pipe (read for a moment more), else its exit.
    private func lastLine() throws -> String {
        _ = available.wait(timeout: .now() + 0.1)
        lock.lock()
        defer { lock.unlock() }
        if let nl = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<nl]
            pending.removeSubrange(pending.startIndex...nl)
            return String(decoding: line, as: UTF8.self)
        }
        throw Failure.exited(exitDescription)
    }

    /// How the child ended (`killed by signal 11`, `exited with status 3`), or that it is still running.
    public var exitDescription: String {
        guard !process.isRunning else { return "closed its output" }
        switch process.terminationReason {
        case .uncaughtSignal: return "killed by signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }

    /// Kills the child (SIGKILL) and, when it leads a process group of its own (the worker host does, so that a
    /// compiler process it started dies with it), the whole group; then waits for the child.
    public func terminate() {
        output.fileHandleForReading.readabilityHandler = nil
        errors.fileHandleForReading.readabilityHandler = nil
        if process.isRunning {
            let pid = process.processIdentifier
            if getpgid(pid) == pid { kill(-pid, SIGKILL) }
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}
