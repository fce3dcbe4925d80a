import Foundation
import SpecLang
import TensorCore

/// All operator specs of a directory tree, checked and indexed by name.
public struct SpecLibrary: Sendable {
    /// Specs sorted by name.
    public let operators: [OpSpec]
    private let byName: [String: Int]

    public init(_ specs: [OpSpec]) {
        operators = specs.sorted { $0.name < $1.name }
        byName = Dictionary(uniqueKeysWithValues: operators.enumerated().map { ($1.name, $0) })
    }

    public func spec(named name: String) -> OpSpec? { byName[name].map { operators[$0] } }

    /// Loads every `*.op` file under `directory`; throws the first error.
    public static func load(directory: String) throws -> SpecLibrary {
        let (library, errors) = try loadCollectingErrors(directories: [directory])
        if let first = errors.first { throw first }
        return library
    }

    /// Loads the given files and directories, returning the specs that checked and every error found.
    public static func loadCollectingErrors(directories paths: [String]) throws -> (SpecLibrary, [SpecError]) {
        var specs: [OpSpec] = []
        var errors: [SpecError] = []
        var seen: [String: String] = [:]
        for (path, family) in try specFiles(paths) {
            do {
                let spec = try loadFile(path, family: family)
                if let other = seen[spec.name] {
                    throw SpecError(spec.file.nameLocation, "operator '\(spec.name)' is also defined in \(other)")
                }
                seen[spec.name] = path
                specs.append(spec)
            } catch let e as SpecError {
                errors.append(e)
            }
        }
        errors += checkIdentities(specs)
        return (SpecLibrary(specs), errors)
    }

    /// Parses and checks one file; its name must match the `op` line.
    public static func loadFile(_ path: String, family: String) throws -> OpSpec {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else { throw SpecError(start, "cannot read file") }
        guard let source = String(data: data, encoding: .utf8) else { throw SpecError(start, "file is not UTF-8 text") }
        let file = try Parser.parse(path: path, source: source)
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        guard stem == file.name else {
            throw SpecError(file.nameLocation, "operator '\(file.name)' must be in a file named \(file.name).op, not \(stem).op")
        }
        return try Checker.check(file, family: family)
    }

    /// `*.op` files under the paths, sorted, each with its family (parent folder name).
    static func specFiles(_ paths: [String]) throws -> [(String, String)] {
        var out: [(String, String)] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw SpecError(SourceLocation(file: path, line: 1, column: 1), "no such file or directory")
            }
            if !isDir.boolValue {
                out.append((path, ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent))
                continue
            }
            let files = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".op") }.sorted()
            for f in files {
                let full = (path as NSString).appendingPathComponent(f)
                out.append((full, ((full as NSString).deletingLastPathComponent as NSString).lastPathComponent))
            }
        }
        return out
    }

    /// Identities may only apply operators that exist.
    static func checkIdentities(_ specs: [OpSpec]) -> [SpecError] {
        let names = Set(specs.map(\.name))
        var errors: [SpecError] = []
        func visit(_ t: Term) {
            guard case .apply(let op, let args, _, let loc) = t else { return }
            if !names.contains(op) { errors.append(SpecError(loc, "identity applies unknown operator '\(op)'")) }
            args.forEach(visit)
        }
        for s in specs { for i in s.file.identities { visit(i.lhs); visit(i.rhs) } }
        return errors
    }
}
