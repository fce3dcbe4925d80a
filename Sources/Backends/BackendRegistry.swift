import Compiler
import Foundation
import LoopIR
import SpecLib

/// Every backend graphsmith can compare with the reference, by the name used on the command line and in campaign
/// configs: the in-repo compiler's configurations (`vm-O0` ... `native-O3`) and the outside compilers whose adapters
/// the worker host finds, the shipped ones (`Python/graphsmith_worker/adapters`) and a user's plugins.
public struct BackendRegistry: Sendable {
    /// What a name stands for.
    public enum Entry: Sendable, Hashable {
        /// The in-repo compiler at a level, on an executor.
        case compiler(OptimizationLevel, Executor)
        /// An outside compiler hosted by the worker host.
        case external(ExternalBackend.Adapter)
    }

    public let host: WorkerHost
    /// Every backend in listing order: the in-repo configurations, then the shipped adapters, then the plugins.
    public let entries: [(name: String, entry: Entry)]
    /// Why the adapters could not be listed, when they could not (no Python, no host).
    public let externalProblem: String?
    /// Outside backends their adapter leaves out of the default campaign (a second configuration of a compiler).
    public let optIn: Set<String>

    /// The in-repo compiler's default comparison set: the VM at every level and native code at O3.
    public static let defaultNames = ["vm-O0", "vm-O1", "vm-O2", "vm-O3", "native-O3"]

    /// The in-repo names: the VM and native code at every level.
    public static let inRepoNames: [String] = ["vm", "native"].flatMap { e in (0...3).map { "\(e)-O\($0)" } }

    /// The in-repo configuration a name stands for, without listing adapters.
    public static func compiler(_ name: String) -> (OptimizationLevel, Executor)? {
        let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, let exec = Executor(rawValue: parts[0]), exec != .reference,
              let level = OptimizationLevel(parsing: parts[1]) else { return nil }
        return (level, exec)
    }

    /// The registry of this installation, with the backends `plugins` (adapter files) define.
    public static func load(host: WorkerHost = .locate(), plugins: [String] = []) -> BackendRegistry {
        var entries: [(String, Entry)] = inRepoNames.map { ($0, .compiler(compiler($0)!.0, compiler($0)!.1)) }
        let shipped = ((try? FileManager.default.contentsOfDirectory(atPath: host.adapters)) ?? [])
            .filter { $0.hasSuffix(".py") && !$0.hasPrefix("_") }.sorted().map { host.adapters + "/" + $0 }
        let listed = AdapterListing.list(host: host, files: shipped + plugins)
        for adapter in listed.adapters where !entries.contains(where: { $0.0 == adapter.name }) {
            entries.append((adapter.name, .external(adapter)))
        }
        return BackendRegistry(host: host, entries: entries, externalProblem: listed.problem, optIn: listed.optIn)
    }

    init(host: WorkerHost, entries: [(String, Entry)], externalProblem: String?, optIn: Set<String> = []) {
        self.host = host
        self.entries = entries.map { (name: $0.0, entry: $0.1) }
        self.externalProblem = externalProblem
        self.optIn = optIn
    }

    /// Every name, in listing order.
    public var names: [String] { entries.map(\.name) }

    /// What `name` stands for; nil when nothing.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name }?.entry }

    /// The backend `name` stands for, with `faults` injected into the in-repo compiler (outside compilers ignore them);
    /// its native code built as `nativeBuild` says.
    public func make(_ name: String, library: SpecLibrary, faults: Set<Fault> = [], timeout: Double = 60,
                     disabledPasses: Set<String> = [], nativeBuild: NativeBuild = .exact) -> (any Backend)? {
        switch entry(name) {
        case .compiler(let level, let executor):
            return CompilerBackend(library: library, level: level, disabledPasses: disabledPasses, executor: executor,
                                   faults: faults, nativeBuild: nativeBuild)
        case .external(let adapter):
            return ExternalBackend(adapter: adapter, library: library, host: host, timeout: timeout)
        case nil:
            return nil
        }
    }

    /// The default comparison set on this machine: `defaultNames`, then every outside compiler the repository ships
    /// an adapter for that starts here (not a plugin, not an opt-in configuration), as started backends; the others
    /// with why not.
    public func defaults(library: SpecLibrary) -> (backends: [(name: String, backend: any Backend)], leftOut: [(name: String, reason: String)]) {
        var backends: [(name: String, backend: any Backend)] = Self.defaultNames.compactMap { n in make(n, library: library).map { (n, $0) } }
        var leftOut: [(name: String, reason: String)] = []
        if let problem = externalProblem { leftOut.append(("outside compilers", problem)) }
        for (name, entry) in entries where !optIn.contains(name) {
            guard case .external(let adapter) = entry, isShipped(adapter) else { continue }
            let backend = ExternalBackend(adapter: adapter, library: library, host: host)
            if let why = backend.unavailableReason() { leftOut.append((name, why)) } else { backends.append((name, backend)) }
        }
        return (backends, leftOut)
    }

    /// Whether the adapter is one the repository ships (not a user's plugin).
    func isShipped(_ adapter: ExternalBackend.Adapter) -> Bool {
        let folder = URL(fileURLWithPath: adapter.file).deletingLastPathComponent().standardizedFileURL.path
        return folder == URL(fileURLWithPath: host.adapters).standardizedFileURL.path
    }
}

/// The backends adapter files define, as the worker host reads them (`host.py --list`), without importing any
/// compiler.
enum AdapterListing {
    struct Row: Decodable {
        var name: String
        var file: String
        var variant: String?
        var opt_in: Bool?
        var format: String?
    }

    static func list(host: WorkerHost, files: [String]) -> (adapters: [ExternalBackend.Adapter], problem: String?, optIn: Set<String>) {
        guard !files.isEmpty else { return ([], nil, []) }
        guard let (status, data) = host.runOnce(host.command(listing: files)) else { return ([], "cannot start \(host.python)", []) }
        guard status == 0, let rows = try? JSONDecoder().decode([Row].self, from: data) else {
            return ([], "\(host.python) \(host.script) --list failed (status \(status))", [])
        }
        let adapters = rows.map {
            ExternalBackend.Adapter(name: $0.name, file: $0.file, variant: $0.variant,
                                    format: $0.format.flatMap(ExternalBackend.Adapter.Format.init(rawValue:)) ?? .onnx)
        }
        return (adapters, nil,
                Set(rows.filter { $0.opt_in == true }.map(\.name)))
    }
}
