import Campaign
import Foundation
import XCTest

/// Quoted words read back by /bin/sh as exactly the words given.
final class ShellCommandTests: XCTestCase {
    func testTheShellReadsBackEveryWord() throws {
        let words = ["plain/path-1.2_x", "", "a b", "it's", "''", "$(touch pwned)", "`id`", "$HOME", "a\"b", "back\\slash",
                     "*", "~", "x;y|z&w", "new\nline", "tab\there", "!event", "-dash", "über/日本", "#hash", "a=b"]
        let folder = NSTemporaryDirectory() + "shell-words-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Each word between NUL bytes, so that words holding a newline come back whole.
        p.arguments = ["-c", "printf '%s\\0' " + ShellCommand.join(words)]
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let back = data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(back, words)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [], "nothing ran")
    }

    func testPlainPathsStayReadable() {
        XCTAssertEqual(ShellCommand.replay("campaign/findings/f-0123456789ab"), "graphsmith replay campaign/findings/f-0123456789ab")
        XCTAssertEqual(ShellCommand.replay("my campaign/findings/f-1"), "graphsmith replay 'my campaign/findings/f-1'")
    }
}
