import Foundation
import XCTest
@testable import LoopIR

/// Running the C compiler: exit status, captured output, standard input from a file.
final class ChildProcessTests: XCTestCase {
    func testExitStatusAndBothStreamsAreReported() throws {
        let r = try ChildProcess.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(Set(r.output.split(separator: "\n")), ["out", "err"])
    }

    func testAMissingProgramIs127() throws {
        XCTAssertEqual(try ChildProcess.run(["graphsmith-no-such-program-\(UUID().uuidString)"]).status, 127)
    }

    func testAProgramKilledByASignalIs128PlusTheSignal() throws {
        XCTAssertEqual(try ChildProcess.run(["sh", "-c", "kill -9 $$"]).status, 128 + 9)
    }

    func testStandardInputComesFromTheFile() throws {
        let file = NSTemporaryDirectory() + "child-\(UUID().uuidString)"
        try "a line\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        XCTAssertEqual(try ChildProcess.run(["cat"], input: file).output, "a line\n")
        XCTAssertEqual(try ChildProcess.run(["cat"]).output, "", "no input file: /dev/null")
    }
}
