/// Commands graphsmith writes for people to paste into a shell (a finding's `repro`), with each argument quoted.
///
/// A path comes from the user (`fuzz --out 'x $(id)'`): pasted unquoted, a space splits it and `$(...)` runs.
/// Every printed command is built here so that none is missed.
public enum ShellCommand {
    /// `words` joined by spaces, each quoted as `quote` does: the POSIX shell reads back exactly `words`.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// `word` as the shell reads it back literally: unchanged when it holds only characters no shell treats
    /// specially (letters, digits, and `/ . _ - + , : @ %`), else in single quotes, where nothing is special,
    /// with each `'` written as `'\''` (close the quotes, an escaped quote, reopen them).
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.unicodeScalars.allSatisfy(isPlain) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// The command that replays the finding (or reduced finding) in `folder`.
    public static func replay(_ folder: String) -> String {
        join(["graphsmith", "replay", folder])
    }

    private static func isPlain(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", "+", ",", ":", "@", "%": true
        default: false
        }
    }
}
