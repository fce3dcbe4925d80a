import Foundation

/// Where the Python worker host lives and which interpreter runs it.
///
/// The host (`Python/graphsmith_worker/host.py`) and its adapters are files of the repository. The interpreter is
/// `$GRAPHSMITH_PYTHON`, else the virtualenv `Scripts/setup.sh` makes (`.venv` at the repository root), else `python3`.
public struct WorkerHost: Sendable, Hashable {
    /// The Python interpreter (a path, or `python3` looked up on PATH).
    public var python: String
    /// The folder holding `host.py` and `adapters/`.
    public var folder: String

    public init(python: String, folder: String) {
        self.python = python
        self.folder = folder
    }

    /// `host.py`.
    public var script: String { folder + "/host.py" }
    /// The shipped adapters.
    public var adapters: String { folder + "/adapters" }

    /// The host of this installation: `$GRAPHSMITH_WORKER_DIR`, else `Python/graphsmith_worker` found walking up from
    /// the current directory, else the one of the package graphsmith was built from.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> WorkerHost {
        let relative = "Python/graphsmith_worker"
        var folder: String?
        if let dir = environment["GRAPHSMITH_WORKER_DIR"], !dir.isEmpty { folder = dir }
        var url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while folder == nil {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(relative + "/host.py").path) {
                folder = url.appendingPathComponent(relative).path
            }
            if url.path == "/" { break }
            url.deleteLastPathComponent()
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = folder ?? package.appendingPathComponent(relative).path
        let root = URL(fileURLWithPath: dir).deletingLastPathComponent().deletingLastPathComponent().path
        return WorkerHost(python: interpreter(environment: environment, root: root), folder: dir)
    }

    /// `$GRAPHSMITH_PYTHON`, else `ROOT/.venv/bin/python` when it exists, else `python3`.
    static func interpreter(environment: [String: String], root: String) -> String {
        if let p = environment["GRAPHSMITH_PYTHON"], !p.isEmpty { return p }
        let venv = root + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// The command that starts the host for `adapter`: the interpreter (through `/usr/bin/env` when it is a bare
    /// name), the script, and the adapter's file and variant.
    func command(_ adapter: ExternalBackend.Adapter) -> (executable: String, arguments: [String]) {
        var args = [script, "--adapter", adapter.file]
        if let v = adapter.variant { args += ["--variant", v] }
        return launch(args)
    }

    /// The command that lists the backends adapter `files` define.
    func command(listing files: [String]) -> (executable: String, arguments: [String]) {
        launch([script, "--list"] + files)
    }

    func launch(_ args: [String]) -> (executable: String, arguments: [String]) {
        python.contains("/") ? (python, args) : ("/usr/bin/env", [python] + args)
    }

    /// Runs the host once (`--list`, `--repro`) and returns its exit status and standard output; nil when the
    /// interpreter cannot be started. Its stderr is dropped: the answer is on stdout.
    func runOnce(_ command: (executable: String, arguments: [String])) -> (status: Int32, output: Data)? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: command.executable)
        p.arguments = command.arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }
}
