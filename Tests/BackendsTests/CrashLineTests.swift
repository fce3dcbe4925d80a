import XCTest
@testable import Backends

/// The line of a dead worker's stderr a crash finding is named by: the same crash gives the same line.
final class CrashLineTests: XCTestCase {
    func testFaulthandlersFatalErrorIsChosenOverItsModuleList() {
        let first = """
            Fatal Python error: Floating point exception

            Current thread 0x00007f3a2b1c0740 (most recent call first):
              File "/tmp/model.py", line 40 in forward
              File "/x/torch/nn/modules/module.py", line 1789 in _call_impl

            Extension modules: numpy._core._multiarray_umath, torch._C, bk6skvvo3ecah5fzd7gh6i6kbahz5qe.kernel (total: 93)
            """
        let second = first.replacingOccurrences(of: "bk6skvvo3ecah5fzd7gh6i6kbahz5qe.kernel", with: "torch._C._dynamo.guards")
            .replacingOccurrences(of: "line 40", with: "line 12")
        XCTAssertEqual(CrashLine.of(first), "Fatal Python error: Floating point exception")
        XCTAssertEqual(CrashLine.of(second), CrashLine.of(first))
    }

    func testWithoutFaulthandlerTheLastMessageLineCounts() {
        XCTAssertEqual(CrashLine.of("Traceback (most recent call last):\n  File \"host.py\", line 3, in main\nMemoryError: out\n\n"), "MemoryError: out")
        XCTAssertEqual(CrashLine.of("warming up\nThread 0x0000 (most recent call first):\n  File \"a.py\", line 1 in f\n"), "warming up")
        XCTAssertEqual(CrashLine.of(""), "")
    }
}
