import Backends

/// The de-duplication key of a finding and its short id.
///
/// A fingerprint has a verdict, a stage, and:
/// - `class` is the operator class (injective, reduction, opaque) at the first diverging value. The class, not the
///   operator name, because one compiler bug (a wrong broadcast stride, a dropped remainder loop) shows on every
///   operator of its class; filing it once per operator would bury a campaign's report under copies of one bug.
///   The operator names are kept in the finding for the reader.
/// - `backends` is the set of backends that failed the same way, a strong signature of where a bug lives: a bug of
///   a level-2 loop pass fails at O2 and O3 but not O0 or O1; a lowering bug fails at every level.
/// - `message class` (crashes, internal errors and hangs only) is the message with numbers and operator names
///   masked, so the same crash on different shapes, addresses or operators gives the same key.
///
/// An internal error (the backend reported an error, triage class `internal-error`) has the verdict `crash` but the
/// symptom `internal-error`, so that it is never merged with a crash of the same message; a crash keeps the symptom
/// `crash`, and the ids of crash findings stay what they were before triage classes.
///
/// When the in-repo compiler failed and switching one pass or lowering path off mends the test (`CulpritPass`), the
/// key is the symptom, the stage and the pass instead: that pass's bug fails different levels, classes and backends
/// from test to test (a dropped remainder tile at O2 only when O3 vectorizes the loop instead), and gives a mismatch
/// on one test, NaN on the next and an out-of-range read on a third, so the symptom is `wrong` for all, and the stage
/// is `execute` for all (a compile-time check of the compiler may catch the pass's broken output first). When no switch
/// mends a wrong result, the `Cause` keys it: lowering or code generation (whether the VM fails too) and the operator
/// of the first wrong value, the minimal failing kernel (with its C type family for code generation); two different
/// bugs then do not share a class-wide key. A wrong result of an outside backend is keyed the same way (stage
/// `runtime`: its first wrong operator and that value's type family), with the backends that failed, since one
/// runtime's kernel bug is rarely another's, and a bug of its optimizer alone fails only its optimizing
/// configuration.
public struct Fingerprint: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The verdict (`mismatch`, `nan`, `crash`, `hang`), `internal-error` for a crash verdict of that triage class, or
    /// `wrong` for any failure with a culprit pass and for a wrong result with a cause.
    public var symptom: String
    public var stage: Stage
    /// The compiler pass whose absence mends the test; when set, the fields below are empty.
    public var culpritPass: String?
    /// The operator class at the first diverging value (empty when none was found).
    public var operatorClass: String
    /// The backends that failed the same way, sorted.
    public var backends: [String]
    /// Crashes, internal errors and hangs: the message with numbers and operator names masked.
    public var messageClass: String
    /// A wrong result of the in-repo compiler that no switch mends (`Cause`: `lowering:ArgMax`, `codegen:Round:float`);
    /// when set, the class, backends and message are empty.
    public var cause: Cause?

    /// The key for a failing test. `triage` nil is the verdict's own class (`Triage(legacy:)`).
    public init(verdict: Verdict, triage: Triage? = nil, stage: Stage, operatorClass: String, backends: [String], message: String,
                operatorNames: Set<String> = [], culpritPass: String? = nil, cause: Cause? = nil) {
        self.stage = stage
        let named = triage == .internalError ? Triage.internalError.rawValue : verdict.rawValue
        let wrong = verdict == .mismatch || verdict == .nan
        if culpritPass != nil || (wrong && cause != nil) {
            // A pass or path that mends a crash on one test and a wrong result on the next is one bug; so is one whose
            // broken output a compile-time check of the compiler catches on one test and execution shows on the next.
            // An outside backend's NaN and its wrong values at one operator may well be two bugs: they stay apart.
            self.cause = culpritPass == nil ? cause : nil
            symptom = culpritPass != nil || self.cause?.keepsBackends == false ? "wrong" : named
            if culpritPass != nil { self.stage = .execute }
            self.culpritPass = culpritPass
            self.operatorClass = ""
            self.backends = self.cause?.keepsBackends == true ? backends.sorted() : []
            messageClass = ""
            return
        }
        symptom = named
        self.operatorClass = operatorClass
        self.backends = backends.sorted()
        messageClass = verdict == .crash || verdict == .hang ? Self.messageClass(message, operatorNames: operatorNames) : ""
    }

    /// A crash, hang or internal error's message as it keys a finding: quoted and bracketed text (node and value
    /// names, shapes, dtypes and expressions of one model, as compilers print them) cut to `'…'` or `(…)`, numbers
    /// masked and operator names masked, so the same failure on other models gives the same class, while the words
    /// around them (which check failed, in which converter) keep different failures apart.
    public static func messageClass(_ message: String, operatorNames: Set<String> = []) -> String {
        maskNames(maskNumbers(maskQuoted(message)), operatorNames)
    }

    /// Replaces the inside of each quoted span (`'...'`, `"..."` or typographic `‘...’`, opening after a non-letter and closing before one,
    /// so that an apostrophe inside a word is not a quote) and of each balanced `(...)`, `[...]`, `{...}` by `…`; an
    /// opening quote or bracket that is never closed masks the rest.
    static func maskQuoted(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let close = quotes[c], i == 0 || !chars[i - 1].isLetter {
                // A span the message was cut inside (a long message is shortened) is masked to the end.
                guard let end = closing(close, in: chars, after: i) else { return out + "\(c)…" }
                out += "\(c)…\(close)"
                i = end + 1
                continue
            }
            if let close = brackets[c] {
                guard let end = balanced(c, close, in: chars, after: i) else { return out + "\(c)…" }
                out += "\(c)…\(close)"
                i = end + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    private static let brackets: [Character: Character] = ["(": ")", "[": "]", "{": "}"]
    /// Opening quotes and their closing ones: ASCII, and the typographic ones gcc prints (`‘operator==’`).
    private static let quotes: [Character: Character] = ["'": "'", "\"": "\"", "\u{2018}": "\u{2019}", "\u{201C}": "\u{201D}"]

    /// The index of the bracket that closes the one at `start` (counting nesting of the same kind); nil when none does.
    private static func balanced(_ open: Character, _ close: Character, in chars: [Character], after start: Int) -> Int? {
        var depth = 0
        for j in start..<chars.count {
            if chars[j] == open { depth += 1 }
            if chars[j] == close { depth -= 1 }
            if depth == 0 { return j }
        }
        return nil
    }

    /// The index of the quote that closes the span opened at `start`, followed by a non-letter; nil when none does.
    private static func closing(_ quote: Character, in chars: [Character], after start: Int) -> Int? {
        var j = start + 1
        while j < chars.count {
            if chars[j] == quote && (j + 1 == chars.count || !chars[j + 1].isLetter) { return j }
            j += 1
        }
        return nil
    }

    /// The canonical text of the fingerprint, for display and for hashing into the id. (It was the stored form
    /// before fingerprints became records; `init(legacy:)` reads that form.)
    public var description: String {
        if let pass = culpritPass { return [symptom, stage.rawValue, "pass:" + pass].joined(separator: "|") }
        if let cause {
            return ([symptom, stage.rawValue, "cause:" + cause.description] + (backends.isEmpty ? [] : [backends.joined(separator: ",")]))
                .joined(separator: "|")
        }
        return [symptom, stage.rawValue, operatorClass, backends.joined(separator: ","), messageClass].joined(separator: "|")
    }

    /// The short id: `f-` and 12 hex digits of a stable hash of the canonical text; a finding's folder name.
    public var id: String { Self.id(description) }

    /// Whether this fingerprint, of a finding recorded before triage classes, is `other` but for the symptom
    /// `crash` that such a finding had for what is now an `internal-error`.
    public func isLegacyCrash(of other: Fingerprint) -> Bool {
        guard symptom == Verdict.crash.rawValue, other.symptom == Triage.internalError.rawValue else { return false }
        var renamed = other
        renamed.symptom = symptom
        return renamed == self
    }

    /// Reads the text form that campaign directories written before fingerprints were records hold; nil when
    /// `text` is not of that form.
    public init?(legacy text: String) {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 5, let stage = Stage(rawValue: parts[1]) else { return nil }
        symptom = parts[0]
        self.stage = stage
        if parts.count == 3 {
            guard parts[2].hasPrefix("pass:") else { return nil }
            culpritPass = String(parts[2].dropFirst(5))
            self.stage = .execute
            operatorClass = ""
            backends = []
            messageClass = ""
        } else {
            operatorClass = parts[2]
            backends = parts[3].isEmpty ? [] : parts[3].split(separator: ",").map(String.init)
            messageClass = parts[4]
        }
    }

    private enum CodingKeys: String, CodingKey { case symptom, stage, culpritPass, cause, operatorClass, backends, messageClass }

    /// Reads a fingerprint record, or the text form of older campaign directories.
    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard let f = Fingerprint(legacy: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a fingerprint: '\(text)'"))
            }
            self = f
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        symptom = try c.decode(String.self, forKey: .symptom)
        stage = try c.decode(Stage.self, forKey: .stage)
        culpritPass = try c.decodeIfPresent(String.self, forKey: .culpritPass)
        if let legacy = try? c.decodeIfPresent(String.self, forKey: .cause) {
            cause = Cause(legacy: legacy)
        } else {
            cause = try c.decodeIfPresent(Cause.self, forKey: .cause)
        }
        operatorClass = try c.decodeIfPresent(String.self, forKey: .operatorClass) ?? ""
        backends = try c.decodeIfPresent([String].self, forKey: .backends) ?? []
        messageClass = try c.decodeIfPresent(String.self, forKey: .messageClass) ?? ""
        // Recorded before a culprit's key ignored the stage: it keys as it would now.
        if culpritPass != nil { stage = .execute }
    }

    /// Replaces every word that names an operator by `OP`.
    static func maskNames(_ text: String, _ names: Set<String>) -> String {
        guard !names.isEmpty else { return text }
        var out = "", word = ""
        func flush() { out += names.contains(word) ? "OP" : word; word = "" }
        for c in text {
            if c.isLetter || c.isNumber || c == "_" { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// `f-` and 12 hex digits of a stable 64-bit hash (FNV-1a) of a fingerprint's text.
    static func id(_ fingerprint: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in fingerprint.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return "f-" + String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    /// Replaces runs of digits (and 0x-prefixed hex) by `#`, and cuts the text to 120 characters.
    public static func maskNumbers(_ text: String) -> String {
        var out = ""
        var inNumber = false
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "0", i + 1 < chars.count, chars[i + 1] == "x" {
                i += 2
                while i < chars.count, chars[i].isHexDigit { i += 1 }
                if !inNumber { out.append("#") }
                inNumber = true
                continue
            }
            if c.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                inNumber = false
                out.append(c)
            }
            i += 1
        }
        chars = Array(out)
        return String(chars.prefix(120))
    }
}
