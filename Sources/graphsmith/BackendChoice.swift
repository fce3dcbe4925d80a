import ArgumentParser
import Backends
import Compiler
import SpecLang
import SpecLib

/// The `--backend NAME` option: which system runs the model: `reference`, `vm` or `native` (the compiler at -O0),
/// `compiler` (the whole compiler at -O0..-O3, see --executor), or any backend of `graphsmith backends list`
/// (`vm-O2`, `onnxruntime`, `openvino`, ...).
struct BackendChoice: ExpressibleByArgument, Sendable {
    var name: String

    init(_ name: String) { self.name = name }
    init?(argument: String) { name = argument }

    static let reference = BackendChoice("reference")

    /// The backend, or a one-line user error when the name is unknown or the backend cannot run here.
    func make(_ library: SpecLibrary, compiler: CompileOptions? = nil) throws -> any Backend {
        switch name {
        case "compiler": return try (compiler ?? CompileOptions.parse([])).backend(library)
        case "reference": return ReferenceBackend(library: library)
        case "vm": return CompilerBackend(library: library, level: .O0, executor: .vm)
        case "native": return CompilerBackend(library: library, level: .O0, executor: .native)
        default:
            let registry = BackendRegistry.load()
            guard let b = registry.make(name, library: library) else {
                let known = Self.keywords + registry.names
                let hint = Suggestions.closest(to: name, among: known).first.map { "; did you mean '\($0)'?" } ?? ""
                throw UserError("unknown backend '\(name)'\(hint) (see 'graphsmith backends list')")
            }
            if let why = b.unavailableReason() { throw UserError(why) }
            return b
        }
    }

    static let keywords = ["reference", "vm", "native", "compiler"]
    static var names: String { (keywords + ["onnxruntime", "onnxruntime-noopt", "any name of 'graphsmith backends list'"]).joined(separator: ", ") }
}
