import Foundation

/// A child process spoken to in lines over pipes, with a deadline on every answer.
final class WorkerProcess: @unchecked Sendable {
    enum Failure: Error { case exited(String), timedOut }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer = Data()
    private let lock = NSLock()
    private var pending = Data()
    private var closed = false
    private let available = DispatchSemaphore(value: 0)

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] h in self?.receive(h.availableData) }
        errors.fileHandleForReading.readabilityHandler = { h in _ = h.availableData }
        try process.run()
    }

    deinit { terminate() }

    var isRunning: Bool { process.isRunning }

    private func receive(_ data: Data) {
        lock.lock()
        if data.isEmpty { closed = true } else { pending.append(data) }
        lock.unlock()
        available.signal()
    }

    /// Sends one line.
    func send(_ line: String) throws {
        guard process.isRunning else { throw Failure.exited(exitDescription) }
        do {
            try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw Failure.exited(exitDescription)
        }
    }

    /// Reads one line, waiting at most `timeout` seconds.
    func readLine(timeout: Double) throws -> String {
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
            if available.wait(timeout: deadline) == .timedOut { throw Failure.timedOut }
        }
    }

    private var exitDescription: String {
        guard !process.isRunning else { return "closed its output" }
        switch process.terminationReason {
        case .uncaughtSignal: return "killed by signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }

    func terminate() {
        output.fileHandleForReading.readabilityHandler = nil
        errors.fileHandleForReading.readabilityHandler = nil
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
