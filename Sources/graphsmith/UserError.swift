import Backends
import Generator
import ModelIR
import ONNX
import Reference
import SpecLang
import SpecLib
import TensorCore

/// A problem caused by what the user gave graphsmith (a path, a flag, a file's contents).
///
/// Reported as one line on stderr, `error: message` (or `path:line:column: error: message`
/// when `located` is true), with exit code 2.
struct UserError: Error, CustomStringConvertible {
    /// The text after `error: `, or the whole line when `located`.
    var message: String
    /// Whether `message` already has the `path:line:column: error:` form.
    var located = false

    init(_ message: String) { self.message = message }

    init(located line: String) {
        message = line
        located = true
    }

    /// The single line printed on stderr.
    var description: String { located ? message : "error: \(message)" }
}

/// How a command ended when it did not simply succeed.
enum Outcome {
    /// Exit code of a check that ran and found a problem (`specs test`).
    static let checkFailed: Int32 = 1
    /// Exit code of a user error: bad flag, bad path, bad spec, malformed model.
    static let userError: Int32 = 2
    /// Exit code of a bug in graphsmith itself.
    static let internalError: Int32 = 3

    /// Maps an error thrown by a library call on user-supplied data to the line to print, or nil when it is
    /// not a user error (and so an internal error).
    static func userErrorLine(_ error: Error, context: String? = nil) -> String? {
        let prefix = context.map { "\($0): " } ?? ""
        switch error {
        case let e as UserError: return e.description
        case let e as SpecError: return e.description
        case let e as ModelFormatError: return e.description
        case let e as ModelError: return "error: \(prefix)\(e.message)"
        case let e as InstanceError: return "error: \(prefix)\(e.description)"
        case let e as ReferenceError: return "error: \(prefix)\(e.message)"
        case let e as GeneratorError: return "error: \(e.message)"
        case let e as OnnxError: return "error: \(context.map { e.message.hasPrefix($0) } == true ? "" : prefix)\(e.message)"
        case let e as BackendError: return "error: \(prefix)\(e.description)"
        case let e as OutputFileError: return "error: \(e.description)"
        default: return nil
        }
    }

    /// The one-line report of an internal error, with a hint to report it.
    static func internalErrorLine(_ error: Error) -> String {
        let text = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
        return "internal error: \(text) (this is a bug in graphsmith; please report it with the command you ran)"
    }
}

/// Wraps library errors raised while working on a user file so they print as user errors naming that file.
@discardableResult
func asUserError<T>(_ context: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        if let line = Outcome.userErrorLine(error, context: context) { throw UserError(located: line) }
        throw error
    }
}
