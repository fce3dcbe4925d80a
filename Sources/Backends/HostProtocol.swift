import Foundation
import TensorCore

/// The messages of the worker host protocol (`Python/README.md`): one JSON line each, over the host's private
/// channel, so that a compiler printing to stdout cannot corrupt them.
enum HostProtocol {
    /// The version graphsmith speaks; a host saying another one is refused.
    static let version = 1

    /// The host's first line: the backend it hosts, or why it cannot.
    struct Hello: Decodable {
        var `protocol`: Int
        var ok: Bool
        var backend: String?
        var version: String?
        var capabilities: Capabilities?
        var unavailable: String?
    }

    /// What an adapter declares about its compiler (all optional).
    struct Capabilities: Decodable {
        var rounding: String?
        var computes_as: [String: String]?
        var unsupported_dtypes: [String]?
        var max_opset: Int?
        var signless_integers: Bool?
        var min_test_s: Double?
        var notes: [String]?
    }

    /// One test: an ONNX model and its inputs as `.pb` files; outputs go to `out`.
    struct Request: Encodable {
        var id: Int
        var model: String?
        var inputs: [[String]]?
        var out: String?
        /// Run onnx.checker on the model first (its complaint is the answer's error).
        var check: Bool?
        /// `crash`, `abort`, `hang`, `noise`: for graphsmith's own tests of the host.
        var debug: String?
    }

    /// The answer to one request.
    struct Answer: Decodable {
        var id: Int?
        var ok: Bool
        var outputs: [String]?
        var compile_s: Double?
        var run_s: Double?
        /// `compile` (the adapter's prepare) or `run`.
        var stage: String?
        /// `unsupported` (the adapter's own phrases matched) or `error`.
        var kind: String?
        var error: String?
    }

    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ line: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(line.utf8))
    }
}

extension BackendCapabilities {
    /// The capabilities an adapter declared; what it left out is the default for an external compiler.
    init(declared c: HostProtocol.Capabilities?) {
        self.init(rounding: c?.rounding == "reference" ? .reference : .own, isolation: .worker)
        for (from, to) in c?.computes_as ?? [:] {
            if let a = DType(rawValue: from), let b = DType(rawValue: to) { computesAs[a] = b }
        }
        unsupportedDTypes = Set((c?.unsupported_dtypes ?? []).compactMap(DType.init(rawValue:)))
        maxOpset = c?.max_opset
        signlessIntegers = c?.signless_integers ?? false
        minTestSeconds = c?.min_test_s
        notes = c?.notes ?? []
    }
}
