import Foundation
import Oracle
import XCTest
@testable import Campaign

/// The test's time limit covers the backends, not graphsmith's own judging of their answers: a worker that reports
/// the judging stage gets more time, and one that never ends judging is no backend's hang.
final class TestWorkerJudgingTests: XCTestCase {
    /// A worker process (a shell script) that answers one test: it reports the backend's stages, then `judge`,
    /// sleeps `judging` seconds and sends a mismatch.
    func worker(judging seconds: Double) throws -> TestWorker {
        let report = TestReport(index: 3, seed: 9, verdict: .mismatch, backends: ["fake"], detail: "output 0: 1 of 1 elements differ")
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("graphsmith-judging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("worker.sh").path
        try """
            echo ready
            read line
            echo "stage compile fake"
            echo "stage execute fake"
            echo "stage \(TestWorker.judging)"
            sleep \(seconds)
            echo 'result \(json)'
            read line
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return TestWorker(executable: "/bin/sh", arguments: [script])
    }

    func testJudgingLongerThanTheTestLimitIsNotAHang() throws {
        let w = try worker(judging: 2)
        defer { w.stop() }
        let r = try w.run(index: 3, seed: 9, timeout: 1)
        XCTAssertEqual(r.verdict, .mismatch, r.message)
    }

    func testJudgingThatNeverEndsIsInvalidNotAHang() throws {
        let w = try worker(judging: 60)
        defer { w.stop() }
        let r = try w.run(index: 3, seed: 9, timeout: 0.2)
        XCTAssertEqual(r.verdict, .invalid, r.message)
        XCTAssertTrue(r.message.contains("judging a failure"), r.message)
    }
}
