/// A problem with an ONNX file or model: unreadable, corrupt, or using something graphsmith does not support.
public struct OnnxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem, so a conformance run can count unsupported cases apart from failures.
    public enum Kind: String, Hashable, Sendable {
        /// Unreadable, corrupt or inconsistent file.
        case invalid
        /// An element type outside graphsmith's dtypes (string, complex, float8, int4, ...).
        case foreignDType
        /// An operator type no spec maps.
        case noSpec
        /// A specced operator used with an attribute, input form or dtype its spec does not cover.
        case unsupported
    }

    public var kind: Kind
    public var message: String

    public init(_ message: String, kind: Kind = .invalid) {
        self.kind = kind
        self.message = Self.oneLine(message)
    }

    /// Names from a hostile file may hold control characters: escape them so an error stays one line.
    static func oneLine(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
        return out.count > 2000 ? String(out.prefix(2000)) + "..." : out
    }

    public var description: String { message }

    /// The same error with a prefix (a path or node label) in front of its message.
    public func prefixed(_ prefix: String) -> OnnxError { OnnxError("\(prefix): \(message)", kind: kind) }
}
