import Foundation
import TensorCore

/// Reading and writing the user's text files, with one-line user errors.
enum TextFile {
    static func read(_ path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw UserError("cannot read '\(path)': no such file")
        }
        guard !isDir.boolValue else { throw UserError("cannot read '\(path)': it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("cannot read '\(path)': permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UserError("'\(path)' is not UTF-8 text") }
        return text
    }

    /// Writes atomically (a temporary file renamed into place); a device, FIFO or `/dev/stdout` is written in place.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
            throw UserError("cannot write '\(path)': directory '\(parent)' does not exist")
        }
        do { try OutputFile.write(text, to: path) } catch let e as OutputFileError { throw UserError(e.description) }
    }
}
