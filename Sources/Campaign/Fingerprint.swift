/// The de-duplication key of a finding and its short id.
///
/// A fingerprint is `verdict|stage|class|backends|message class`:
/// - `class` is the operator class (injective, reduction, opaque) at the first diverging value. The class, not the
///   operator name, because one compiler bug (a wrong broadcast stride, a dropped remainder loop) shows on every
///   operator of its class; filing it once per operator would bury a campaign's report under copies of one bug.
///   The operator names are kept in the finding for the reader.
/// - `backends` is the set of backends that failed the same way, a strong signature of where a bug lives: a bug of
///   a level-2 loop pass fails at O2 and O3 but not O0 or O1; a lowering bug fails at every level.
/// - `message class` (crashes and hangs only) is the message with numbers and operator names masked, so the same
///   crash on different shapes, addresses or operators gives the same key.
///
/// When the in-repo compiler failed and switching one pass off mends the test (`CulpritPass`), the key is
/// `symptom|stage|pass:NAME` instead: that pass's bug fails different levels, classes and backends from test to
/// test (a dropped remainder tile at O2 only when O3 vectorizes the loop instead), and gives a mismatch on one test
/// and NaN on the next, so the symptom is `wrong` for both.
public enum Fingerprint {
    /// The key for a failing test.
    public static func make(verdict: Verdict, stage: Stage, operatorClass: String, backends: [String], message: String,
                            operatorNames: Set<String> = [], culpritPass: String? = nil) -> String {
        if let pass = culpritPass {
            let symptom = verdict == .mismatch || verdict == .nan ? "wrong" : verdict.rawValue
            return [symptom, stage.rawValue, "pass:" + pass].joined(separator: "|")
        }
        let messageClass = verdict == .crash || verdict == .hang ? maskNames(maskNumbers(message), operatorNames) : ""
        return [verdict.rawValue, stage.rawValue, operatorClass, backends.sorted().joined(separator: ","), messageClass]
            .joined(separator: "|")
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

    /// `f-` and 12 hex digits of a stable 64-bit hash (FNV-1a) of the fingerprint: a folder name.
    public static func id(_ fingerprint: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in fingerprint.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return "f-" + String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    /// Replaces runs of digits (and 0x-prefixed hex) by `#`, and cuts the text to 120 characters.
    static func maskNumbers(_ text: String) -> String {
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
