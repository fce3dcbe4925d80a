import Foundation
import TestSupport
import XCTest

/// Hostile spec folders, model files and test suites through the executable: a clear line and exit 2 (or a
/// failed test), never a crash or a silent pass.
final class HostileInputCLITests: XCTestCase {
    /// A specs folder holding one operator `Deep` whose compute is `body`.
    func specsFolder(_ body: String) throws -> URL {
        let dir = try temporaryDirectory(self).appendingPathComponent("specs")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("unary"), withIntermediateDirectories: true)
        let source = "op Deep\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = \(body)\n"
        try Data(source.utf8).write(to: dir.appendingPathComponent("unary/Deep.op"))
        return dir
    }

    static func nested(_ depth: Int) -> String { String(repeating: "(", count: depth) + "X[*i]" + String(repeating: ")", count: depth) }

    /// Every command loads every spec: one hostile file must be a located error in each, not exit 139.
    func testDeepSpecIsALocatedErrorInEveryCommand() throws {
        let specs = try specsFolder(Self.nested(5_000))
        for command in [["specs", "check"], ["specs", "list"], ["run", "--demo"]] {
            let r = try Graphsmith.run(command + ["--specs", specs.path])
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix(specs.appendingPathComponent("unary/Deep.op").path + ":5:"), r.stderr)
            XCTAssertTrue(r.stderr.contains("nested more than"), r.stderr)
        }
    }

    /// A stack overflow still prints the one-line report: the crash handler runs on a stack of its own. The
    /// overflow is forced with a small stack limit and a spec nested just below the parser's bound.
    func testStackOverflowPrintsTheCrashLine() throws {
        let exe = try Graphsmith.executable().path
        func run(_ specs: URL) throws -> ProcessResult {
            let script = "ulimit -s 128 && exec \"$0\" specs check --specs \"$1\""
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, exe, specs.path]
            p.environment = ProcessInfo.processInfo.environment.filter { $0.key != "GRAPHSMITH_BACKTRACE" }
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let data = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return ProcessResult(status: p.terminationStatus, stdout: "", stderr: String(decoding: data, as: UTF8.self))
        }
        let shallow = try run(try specsFolder("X[*i]"))
        try XCTSkipIf(shallow.status != 0, "graphsmith does not start with a 128 KiB stack here: \(shallow.stderr)")
        let deep = try run(try specsFolder(Self.nested(60)))
        try XCTSkipIf(deep.status == 0, "this build's stack frames are too small to overflow 128 KiB at this depth")
        XCTAssertEqual(deep.status, 3, deep.stderr)
        XCTAssertTrue(deep.stderr.hasPrefix("internal error: graphsmith crashed"), deep.stderr)
    }

    func testEmptySpecsFolderIsAnError() throws {
        let empty = try temporaryDirectory(self)
        let check = try Graphsmith.run(["specs", "check", "--specs", empty.path])
        XCTAssertEqual(check.status, 2, check.stdout)
        XCTAssertEqual(check.errorLines, ["error: no operator specs (*.op files) in '\(empty.path)'"])
        let list = try Graphsmith.run(["specs", "list", "--specs", empty.path])
        XCTAssertEqual(list.status, 2, list.stdout)
        XCTAssertEqual(list.errorLines, ["error: specs directory '\(empty.path)' holds no operator specs (*.op files)"])
    }

    /// A model file saved with CRLF line ends runs like the same file with LF ones.
    func testCRLFModelFileRuns() throws {
        let dir = try temporaryDirectory(self)
        let unix = "graphsmith-model 1\ninput x: f32[2]\nnode y: f32[2] = Relu(x)\noutput y\n"
        let lf = dir.appendingPathComponent("lf.txt"), crlf = dir.appendingPathComponent("crlf.txt")
        try Data(unix.utf8).write(to: lf)
        try Data(unix.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: crlf)
        let a = try Graphsmith.run(["run", lf.path, "--seed", "3", "--specs", repositorySpecs])
        let b = try Graphsmith.run(["run", crlf.path, "--seed", "3", "--specs", repositorySpecs])
        XCTAssertEqual(b.status, 0, b.stderr)
        // The output names the file it ran; everything else is the same.
        XCTAssertEqual(a.stdout.replacingOccurrences(of: lf.path, with: "MODEL"), b.stdout.replacingOccurrences(of: crlf.path, with: "MODEL"))
        XCTAssertTrue(a.stdout.contains(lf.path), a.stdout)
    }

    /// A huge text-model shape is refused naming the file and line, before anything is allocated.
    func testHugeTextModelShapeIsALocatedError() throws {
        let file = try temporaryDirectory(self).appendingPathComponent("huge.txt")
        try Data("graphsmith-model 1\ninput x: f32[1000000, 1000000]\nnode y: f32[1000000, 1000000] = Relu(x)\noutput y\n".utf8).write(to: file)
        let r = try Graphsmith.run(["run", file.path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix(file.path + ":2:"), r.stderr)
    }

    /// A conformance test with nothing to compare against fails, saying why, instead of passing.
    func testConformanceTestWithoutExpectedOutputsFails() throws {
        let dir = try temporaryDirectory(self)
        let gen = try Graphsmith.run(["gen", "--seed", "1", "--nodes", "1", "--include", "Relu", "--format", "onnx", "--with-data",
                                      "--out", dir.appendingPathComponent("gen").path, "--specs", repositorySpecs])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let model = dir.appendingPathComponent("gen/model-1.onnx"), data = dir.appendingPathComponent("gen/model-1")
        let suite = dir.appendingPathComponent("suite")
        let fm = FileManager.default
        // test_complete has inputs and expected outputs; test_no_outputs only inputs; test_no_data neither.
        for name in ["test_complete", "test_no_outputs", "test_no_data"] {
            try fm.createDirectory(at: suite.appendingPathComponent(name), withIntermediateDirectories: true)
            try fm.copyItem(at: model, to: suite.appendingPathComponent("\(name)/model.onnx"))
        }
        for name in ["test_complete", "test_no_outputs"] {
            let set = suite.appendingPathComponent("\(name)/test_data_set_0")
            try fm.createDirectory(at: set, withIntermediateDirectories: true)
            for file in try fm.contentsOfDirectory(atPath: data.appendingPathComponent("inputs").path) {
                try fm.copyItem(at: data.appendingPathComponent("inputs/\(file)"), to: set.appendingPathComponent("input_\(file)"))
            }
            guard name == "test_complete" else { continue }
            for file in try fm.contentsOfDirectory(atPath: data.appendingPathComponent("outputs/reference").path) {
                try fm.copyItem(at: data.appendingPathComponent("outputs/reference/\(file)"), to: set.appendingPathComponent("output_\(file)"))
            }
        }
        let r = try Graphsmith.run(["conformance", suite.path, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("passed test_complete"), r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("failed test_no_outputs: test_data_set_0: no expected outputs") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("failed test_no_data: no test_data_set_* folder") }, r.stdout)
    }
}
