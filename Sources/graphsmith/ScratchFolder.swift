import Foundation

/// A command's own folder under the system temporary directory, which it removes when done.
///
/// Made by mkdtemp, so it is new and this run's alone: a fixed name such as `graphsmith-reduce-PID` could be a stale
/// folder of an earlier process with that id, or someone else's, and the run would delete it at its end.
enum ScratchFolder {
    /// A new empty folder named `PREFIX-XXXXXX` (mode 0700).
    static func make(_ prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw UserError("cannot create a folder in '\(NSTemporaryDirectory())': \(String(cString: strerror(errno)))")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
