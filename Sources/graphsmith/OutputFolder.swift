import Foundation

/// Checks that a folder given on the command line can be created or written, before any work starts.
///
/// `FileManager` reports a path blocked by a regular file as "NSCocoaErrorDomain error 512"; this names the flag and
/// the part of the path that is in the way instead.
enum OutputFolder {
    static func check(_ path: String, flag: String) throws {
        guard !path.isEmpty else { throw UserError("\(flag) is empty") }
        let fm = FileManager.default
        // Absolute first: walking up a relative path would stop at "" (and NSString's path methods trap on some
        // relative paths in swift-corelibs-foundation).
        let target = URL(fileURLWithPath: path).standardizedFileURL
        var candidate = target
        // The deepest part of the path that exists: it must be a folder we may write in.
        while true {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    throw UserError(candidate == target ? "\(flag) '\(path)' is a file, not a folder"
                                                        : "\(flag) '\(path)': '\(candidate.path)' is a file, not a folder")
                }
                guard fm.isWritableFile(atPath: candidate.path) else { throw UserError("\(flag) '\(path)': cannot write in '\(candidate.path)'") }
                return
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return }
            candidate = parent
        }
    }
}
