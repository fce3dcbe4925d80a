import ArgumentParser
import Backends
import Compiler
import SpecLib

/// The `--backend NAME` option: which system runs the model.
enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
    case reference
    /// The loop-IR VM.
    case vm
    /// Loop-IR kernels compiled to C with the system compiler.
    case native
    /// The whole compiler: graph passes at a level, then the VM or native code (see -O0..-O3, --executor).
    case compiler
    case onnxruntime
    /// onnxruntime with graph optimizations off.
    case onnxruntimeNoopt = "onnxruntime-noopt"

    /// The backend, or a one-line user error when it cannot run here.
    func make(_ library: SpecLibrary, compiler: CompileOptions? = nil) throws -> any Backend {
        switch self {
        case .compiler: return try (compiler ?? CompileOptions.parse([])).backend(library)
        case .reference: return ReferenceBackend(library: library)
        case .vm: return CompilerBackend(library: library, level: .O0, executor: .vm)
        case .native: return CompilerBackend(library: library, level: .O0, executor: .native)
        case .onnxruntime, .onnxruntimeNoopt:
            let b = OnnxRuntimeBackend(library: library, optimization: self == .onnxruntime ? .all : .none)
            if let why = b.unavailableReason() { throw UserError(why) }
            return b
        }
    }

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
