/// A problem with an ONNX file or model: unreadable, corrupt, or using something graphsmith does not support.
public struct OnnxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
