import Campaign
import Foundation

/// How the CLI starts its test workers: this executable's hidden `fuzz-worker` command.
enum WorkerCommand {
    /// This executable (the path of the running process, symlinks resolved).
    static var executable: String { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path }

    /// The worker command of a campaign in `directory` (the campaign adds `--worker K`).
    static func campaign(_ directory: String, specs: String) -> (executable: String, arguments: [String]) {
        (executable, ["fuzz-worker", directory, "--specs", (specs as NSString).standardizingPath])
    }

    /// A worker that reruns the finding in `folder` (replay, reduce), staging its files under `staging`.
    static func finding(_ folder: String, staging: String, specs: String) -> TestWorker {
        TestWorker(executable: executable, arguments: ["fuzz-worker", folder, "--worker", "0", "--staging", staging, "--specs", specs])
    }
}
