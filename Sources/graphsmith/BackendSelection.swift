import Backends
import SpecLang
import SpecLib

/// The backends a campaign or `check` compares: those of `--backends`, each known and able to start here, or the
/// defaults; with what each declared. Each outside compiler's host starts once for both questions (a torch-compile
/// host compiles before it answers, so a second start would cost minutes).
struct BackendSelection {
    /// In the order given.
    var names: [String]
    /// What each backend declared (`BackendCapabilities`), by name.
    var declared: [String: BackendCapabilities]

    /// The backends of a `--backends` list; an unknown name, an empty list or a backend that cannot start is a user
    /// error (it would fail every test, so it is said once, before anything is written).
    static func listed(_ list: String, _ registry: BackendRegistry, _ library: SpecLibrary) throws -> BackendSelection {
        let names = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        for n in names where registry.entry(n) == nil {
            let hint = Suggestions.closest(to: n, among: registry.names).first.map { "; did you mean '\($0)'?" } ?? ""
            throw UserError("unknown backend '\(n)'\(hint) (known: \(registry.names.joined(separator: ", ")))")
        }
        guard !names.isEmpty else { throw UserError("--backends is empty") }
        var declared: [String: BackendCapabilities] = [:]
        for n in names {
            guard let backend = registry.make(n, library: library) else { continue }
            if let why = backend.unavailableReason() { throw UserError("--backends \(n): \(why)") }
            declared[n] = backend.capabilities
        }
        return BackendSelection(names: names, declared: declared)
    }

    /// The in-repo compiler's default configurations and every shipped outside compiler that starts here; a note
    /// (unless `quiet`) names those left out.
    static func defaults(_ registry: BackendRegistry, _ library: SpecLibrary, quiet: Bool) -> BackendSelection {
        let (backends, leftOut) = registry.defaults(library: library)
        if !leftOut.isEmpty && !quiet {
            Console.error("note: left out of the default backends, as they cannot start here: \(leftOut.map(\.name).joined(separator: ", ")) "
                          + "(why: 'graphsmith backends list'; 'bash Scripts/setup.sh --backends all' installs every outside compiler)")
        }
        return BackendSelection(names: backends.map(\.name),
                                declared: Dictionary(backends.map { ($0.name, $0.backend.capabilities) }, uniquingKeysWith: { a, _ in a }))
    }

    /// `--backends LIST` when given, else the defaults.
    static func chosen(_ list: String?, _ registry: BackendRegistry, _ library: SpecLibrary, quiet: Bool) throws -> BackendSelection {
        guard let list else { return defaults(registry, library, quiet: quiet) }
        return try listed(list, registry, library)
    }
}
