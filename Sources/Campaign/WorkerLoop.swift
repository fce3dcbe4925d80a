import Foundation
import LoopIR
import Oracle

/// The worker side of a campaign: reads `test I` lines on stdin, runs each test, answers on stdout.
///
/// Protocol (one line each): the worker prints `ready` once; for each `test I [RULE,...]` (a campaign test, its
/// generation steered toward the listed rewrite rules) or
/// `file I SEED FOLDER` (a saved test, for replay; `save` instead of `file` also writes the outputs of a failing
/// test into FOLDER) it prints `stage compile NAME` /
/// `stage execute NAME` as it goes and ends with `result JSON` (a `TestReport`). The parent treats a worker that
/// exits or stays silent past the test time limit as a crash or hang of the test it was running.
public enum WorkerLoop {
    /// Runs until stdin closes. `staging` is this worker's own folder for the current test's files.
    /// `make` builds the executor of a config; a `file` request whose folder holds its own `config.json` (a reducer's
    /// candidate with passes switched off, a finding from another campaign) runs under that config.
    public static func run(config: CampaignConfig, staging: String, make: (CampaignConfig) throws -> TestExecutor) throws {
        var current = (config: config, executor: try make(config))
        func executor(for folder: String) throws -> TestExecutor {
            let path = folder + "/config.json"
            guard FileManager.default.fileExists(atPath: path) else { return current.executor }
            let wanted = try JSONCoding.decode(CampaignConfig.self, from: path)
            if wanted != current.config { current = (wanted, try make(wanted)) }
            return current.executor
        }
        current.executor.startBackends()
        emit("ready")
        while let line = readLine() {
            // A folder (`file`/`save`, the last field) may hold spaces: only `test` splits into five fields.
            let parts = line.split(separator: " ", maxSplits: line.hasPrefix("test ") ? 4 : 3).map(String.init)
            let report: TestReport
            if (2...5).contains(parts.count), parts[0] == "test", let index = Int(parts[1]) {
                // `test I [RULE,...|-] [ARM|-] [BACKEND]`
                func field(_ k: Int) -> String? { parts.count > k && parts[k] != "-" ? parts[k] : nil }
                let focus = field(2)?.split(separator: ",").map(String.init) ?? []
                report = current.executor.run(index: index, focus: focus, arm: field(3), only: field(4), staging: staging) { emit("stage \($0)") }
            } else if parts.count == 4, parts[0] == "file" || parts[0] == "save", let index = Int(parts[1]), let seed = UInt64(parts[2]) {
                do {
                    report = try executor(for: parts[3]).run(folder: parts[3], index: index, seed: seed,
                                                             saveOutputs: parts[0] == "save") { emit("stage \($0)") }
                } catch {
                    emit("error \(oneLine(error))")
                    continue
                }
            } else {
                emit("error unknown request '\(line)'")
                continue
            }
            let json = (try? JSONCoding.encode(report, pretty: false)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            emit("result \(json)")
        }
    }

    /// Writes one line to stdout unbuffered (the parent reads line by line with deadlines).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Caps the process's address space so that unbounded allocation fails inside the worker, not the machine.
    public static func limitMemory(mebibytes: Int) {
        guard mebibytes > 0 else { return }
        let bytes = rlim_t(mebibytes) << 20
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }

    /// Asks the kernel to kill this worker when its parent dies (a killed campaign must not leave workers spinning).
    /// (A watcher thread polls the parent id: `prctl(PR_SET_PDEATHSIG)` is variadic and not callable from Swift.)
    public static func dieWithParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while true {
                sleep(1)
                if getppid() != parent { _exit(0) }
            }
        }
    }

    /// Restores the default action of fatal signals, so a crash kills the worker with its signal for the parent to see,
    /// and switches core dumps off: a dying worker must die at once (a core of a large address space can take seconds
    /// to write, long enough to look like a hang) and must not fill the disk over a night of crashes.
    public static func defaultSignals() {
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV] { signal(sig, SIG_DFL) }
    }

    /// The compiler faults and worker faults named in a config.
    public static func faults(_ names: [String]) -> (compiler: Set<Fault>, worker: Set<WorkerFault>) {
        (Set(names.compactMap(Fault.init(rawValue:))), Set(names.compactMap(WorkerFault.init(rawValue:))))
    }
}
