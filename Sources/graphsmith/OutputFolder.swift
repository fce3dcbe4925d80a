import Foundation

/// Checks that a folder given on the command line can be created or written, before any work starts.
///
/// `FileManager` reports a path blocked by a regular file as "NSCocoaErrorDomain error 512"; this names the flag and
/// the part of the path that is in the way instead.
enum OutputFolder {
    static func check(_ path: String, flag: String) throws {
        let fm = FileManager.default
        var candidate = (path as NSString).standardizingPath
        if candidate.isEmpty { throw UserError("\(flag) is empty") }
        // The deepest part of the path that exists: it must be a folder we may write in.
        while true {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    let isItself = candidate == (path as NSString).standardizingPath
                    throw UserError(isItself ? "\(flag) '\(path)' is a file, not a folder"
                                             : "\(flag) '\(path)': '\(candidate)' is a file, not a folder")
                }
                guard fm.isWritableFile(atPath: candidate) else { throw UserError("\(flag) '\(path)': cannot write in '\(candidate)'") }
                return
            }
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate || parent.isEmpty { return }
            candidate = parent
        }
    }
}
