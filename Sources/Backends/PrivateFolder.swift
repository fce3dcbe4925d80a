import Foundation

/// A temporary folder only this user can read (mode 0700, made by mkdtemp), removed with its contents when the
/// value goes away.
final class PrivateFolder: @unchecked Sendable {
    let path: String

    init(prefix: String) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = made.map { String(cString: $0) } ?? FileManager.default.temporaryDirectory.path + "/\(prefix)-\(UUID().uuidString)"
        if made == nil { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A new folder inside this one.
    func subfolder() throws -> String {
        let sub = path + "/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return sub
    }
}
