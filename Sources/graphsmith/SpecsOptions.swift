import ArgumentParser
import Foundation
import SpecLang
import SpecLib

/// The `--specs DIR` option every command takes, and how the specs directory is found without it.
struct SpecsOptions: ParsableArguments {
    @Option(name: .customLong("specs"), help: ArgumentHelp(
        "The operator specs directory.",
        discussion: "Default: $GRAPHSMITH_SPECS, else 'Specs' found walking up from the current directory, else next to the executable's package.",
        valueName: "dir"))
    var directory: String?

    /// The specs directory to use; a user error when none can be found.
    func resolve() throws -> String {
        if let dir = directory { return try Self.existingDirectory(dir, from: "--specs") }
        if let dir = ProcessInfo.processInfo.environment["GRAPHSMITH_SPECS"], !dir.isEmpty {
            return try Self.existingDirectory(dir, from: "GRAPHSMITH_SPECS")
        }
        let cwd = FileManager.default.currentDirectoryPath
        if let found = Self.findSpecs(above: cwd) { return Self.relativeIfBelow(found, cwd) }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path,
           let found = Self.findSpecs(above: exe) {
            return found
        }
        // The package root this executable was built from.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if let found = Self.findSpecs(above: root.path) { return found }
        throw UserError("cannot find the operator specs directory; pass --specs DIR or set GRAPHSMITH_SPECS")
    }

    /// Loads and checks every spec; each spec error is printed on its own line, then the command fails with exit 2.
    func loadLibrary() throws -> SpecLibrary {
        let dir = try resolve()
        let (library, errors) = try SpecLibrary.loadCollectingErrors(directories: [dir])
        guard errors.isEmpty else {
            for e in errors.dropLast() { Console.error(e.description) }
            throw UserError(located: errors.last!.description)
        }
        // Every command needs operators; an empty or mistaken folder would otherwise look like a working setup.
        guard !library.operators.isEmpty else { throw UserError("specs directory '\(dir)' holds no operator specs (*.op files)") }
        return library
    }

    static func existingDirectory(_ path: String, from source: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw UserError("specs directory '\(path)' (from \(source)) does not exist")
        }
        guard isDir.boolValue else { throw UserError("specs directory '\(path)' (from \(source)) is not a directory") }
        return path
    }

    /// The first `Specs` directory in `start` or one of its ancestors.
    static func findSpecs(above start: String) -> String? {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = url.appendingPathComponent("Specs")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                return candidate.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// `path` relative to `base` when it lies below it, so messages show short paths like `Specs/unary/Relu.op`.
    static func relativeIfBelow(_ path: String, _ base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

extension SpecLibrary {
    /// The spec named `name`, or a user error suggesting close names.
    func requireSpec(_ name: String) throws -> OpSpec {
        if let spec = spec(named: name) { return spec }
        let close = Suggestions.closest(to: name, among: operators.map(\.name))
        let hint = close.isEmpty ? "; see 'graphsmith specs list'" : " (did you mean \(close.joined(separator: ", "))?)"
        throw UserError("unknown operator '\(name)'\(hint)")
    }
}
