import Foundation

/// A `--plugin FILE.py` argument: checked to exist and made absolute (campaign workers run from elsewhere).
enum PluginFile {
    static func absolute(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw UserError("--plugin \(path): no such file") }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
