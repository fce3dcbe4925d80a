import Foundation

/// Writing to stdout and stderr, unbuffered so the two streams interleave in order.
enum Console {
    /// Prints one line on stderr.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints text and a terminator on stdout.
    static func out(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }
}

/// `1 node`, `3 nodes`.
func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
