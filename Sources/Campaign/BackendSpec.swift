import Backends
import Compiler
import LoopIR
import SpecLib

/// One system a campaign compares with the reference, named as on the command line: `vm-O2`, `native-O3`,
/// `onnxruntime`, `onnxruntime-noopt`.
public struct BackendSpec: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The in-repo compiler at a level, on an executor.
        case compiler(OptimizationLevel, CompilerBackend.Executor)
        /// onnxruntime with all graph optimizations, or none.
        case onnxruntime(optimized: Bool)
    }

    public var kind: Kind

    /// The name used in configs, findings and reports.
    public var description: String {
        switch kind {
        case .compiler(let level, let executor): return "\(executor.rawValue)-\(level)"
        case .onnxruntime(let optimized): return optimized ? "onnxruntime" : "onnxruntime-noopt"
        }
    }

    /// Parses a backend name; nil when it names nothing.
    public init?(_ name: String) {
        switch name {
        case "onnxruntime": kind = .onnxruntime(optimized: true)
        case "onnxruntime-noopt": kind = .onnxruntime(optimized: false)
        default:
            let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2, let exec = CompilerBackend.Executor(rawValue: parts[0]), exec != .reference,
                  let level = OptimizationLevel(parsing: parts[1]) else { return nil }
            kind = .compiler(level, exec)
        }
    }

    /// Every name `init?` accepts, for help and error messages.
    public static var allNames: [String] {
        ["vm", "native"].flatMap { e in (0...3).map { "\(e)-O\($0)" } } + ["onnxruntime", "onnxruntime-noopt"]
    }

    /// The in-repo compiler's default comparison set: the VM at every level and native code at O3.
    public static let defaultNames = ["vm-O0", "vm-O1", "vm-O2", "vm-O3", "native-O3"]

    /// onnxruntime with all graph optimizations and with none: the campaign adds both by default when it is installed.
    public static let onnxruntimeNames = ["onnxruntime", "onnxruntime-noopt"]

    /// Whether this backend runs out-of-process compiled code or an external runtime (slower to start).
    public var isCompiledOrExternal: Bool {
        if case .compiler(_, .vm) = kind { return false }
        return true
    }

    /// Builds the backend, with `faults` injected into the in-repo compiler (external runtimes ignore them).
    public func make(library: SpecLibrary, faults: Set<Fault>, timeout: Double, disabledPasses: Set<String> = []) -> any Backend {
        switch kind {
        case .compiler(let level, let executor):
            return CompilerBackend(library: library, level: level, disabledPasses: disabledPasses, executor: executor, faults: faults)
        case .onnxruntime(let optimized):
            return OnnxRuntimeBackend(library: library, optimization: optimized ? .all : .none, timeout: timeout)
        }
    }
}

extension BackendSpec {
    /// The default comparison set on this machine: `defaultNames`, and `onnxruntimeNames` when onnxruntime can be
    /// started; otherwise also why it is left out.
    public static func defaults(library: SpecLibrary) -> (names: [String], onnxruntimeLeftOut: String?) {
        guard let why = OnnxRuntimeBackend(library: library).unavailableReason() else { return (defaultNames + onnxruntimeNames, nil) }
        return (defaultNames, why)
    }
}
