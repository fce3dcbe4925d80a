import SpecLib
import TensorCore

/// A syntax error in a model text file: `path:line:column: error: message`.
public struct ModelFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}

/// Reads the text format written by `TextWriter`.
public enum TextReader {
    public static func read(_ text: String, path: String = "<model>") throws -> Model {
        var model = Model()
        var sawHeader = false
        // "\r\n" is one Character in Swift, so CRLF line ends are split on explicitly (a trailing "\r" is a space).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (k, raw) in lines.enumerated() {
            var s = LineScanner(Array(raw), path: path, line: k + 1)
            s.skipSpaces()
            if s.atEnd || s.peek == "#" { continue }
            if !sawHeader {
                guard raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).joined(separator: " ") == TextWriter.header else {
                    throw s.error("expected '\(TextWriter.header)' as the first line")
                }
                sawHeader = true
                continue
            }
            let keyword = try s.word()
            switch keyword {
            case "input":
                let (name, type) = try s.typedName()
                model.inputs.append(ValueInfo(name, type))
            case "weight":
                let (name, type) = try s.typedName()
                try s.expect("=")
                model.weights.append(Weight(name, try s.weightData(name, type)))
            case "node":
                model.nodes.append(try s.node())
            case "output":
                model.outputs.append(try s.word())
            default:
                throw s.error("unknown line kind '\(keyword)' (expected input, weight, node or output)")
            }
            s.skipSpaces()
            guard s.atEnd else { throw s.error("unexpected text '\(s.rest)'") }
        }
        guard sawHeader else { throw ModelFormatError(path: path, line: 1, column: 1, message: "empty model file") }
        return model
    }
}

