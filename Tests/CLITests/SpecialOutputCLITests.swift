import Foundation
import TestSupport
import XCTest

/// Outputs named by the user that are not plain files: devices, FIFOs, `/dev/stdout`, symbolic links. Each is written
/// where it points, never replaced by a regular file, and a failed write is one line with exit 2.
///
/// As root (the sandbox), the devices are private nodes made with mknod, with the numbers of /dev/null and /dev/full,
/// so that a graphsmith that replaces what it writes to cannot break the machine's own /dev.
final class SpecialOutputCLITests: XCTestCase {
    let model = """
        graphsmith-model 1
        input x: f32[2, 3]
        node y: f32[2, 3] = Relu(x)
        output y

        """

    func modelFile(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("model.txt").path
        try model.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `/dev/NAME`, or as root a private node with its numbers in `dir` (named `file`).
    func device(_ name: String, major: Int, minor: Int, in dir: URL, file: String) throws -> String {
        guard getuid() == 0 else { return "/dev/" + name }
        let path = dir.appendingPathComponent(file).path
        let mknod = Process()
        mknod.executableURL = URL(fileURLWithPath: "/usr/bin/mknod")
        mknod.arguments = [path, "c", "\(major)", "\(minor)"]
        try mknod.run()
        mknod.waitUntilExit()
        XCTAssertEqual(mknod.terminationStatus, 0, "mknod \(path)")
        return path
    }

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    func testANullDeviceStaysADevice() throws {
        let dir = try temporaryDirectory(self)
        let input = try modelFile(dir)
        for name in ["null.txt", "null.onnx"] {
            let null = try device("null", major: 1, minor: 3, in: dir, file: name)
            let r = try Graphsmith.run(["convert", input, null, "--specs", repositorySpecs])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(fileType(null), S_IFCHR, "\(null) is still a character device")
            if getuid() != 0 { break }
        }
    }

    func testAFullDeviceIsAOneLineError() throws {
        let dir = try temporaryDirectory(self)
        let full = try device("full", major: 1, minor: 7, in: dir, file: "full")
        let r = try Graphsmith.run(["convert", try modelFile(dir), full, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertEqual(r.stderr, "error: cannot write '\(full)': No space left on device\n")
        XCTAssertEqual(fileType(full), S_IFCHR)
        XCTAssertFalse(r.stdout.contains("wrote"), r.stdout)
    }

    func testAFIFOIsWrittenInPlace() throws {
        let dir = try temporaryDirectory(self)
        let fifo = dir.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A reader that does not block, opened first so that graphsmith's open for writing finds one.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let r = try Graphsmith.run(["convert", try modelFile(dir), fifo, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(reader, &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[..<max(n, 0)], as: UTF8.self), model)
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testStandardOutputByName() throws {
        let dir = try temporaryDirectory(self)
        let input = try modelFile(dir)
        for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            let r = try Graphsmith.run(["convert", input, name, "--specs", repositorySpecs])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix(model), "\(name): \(r.stdout)")
            XCTAssertTrue(r.stdout.hasSuffix("wrote \(name) (1 node)\n"), r.stdout)
        }
        XCTAssertEqual(fileType("/dev/stdout"), S_IFLNK)
    }

    func testASymbolicLinkIsFollowedAndStaysALink() throws {
        let dir = try temporaryDirectory(self)
        let target = dir.appendingPathComponent("target.txt").path
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.txt").path
        XCTAssertEqual(symlink("target.txt", link), 0)
        let dangling = dir.appendingPathComponent("dangling.txt").path
        XCTAssertEqual(symlink("new.txt", dangling), 0)
        let input = try modelFile(dir)
        for path in [link, dangling] {
            let r = try Graphsmith.run(["convert", input, path, "--specs", repositorySpecs])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(fileType(path), S_IFLNK, "\(path) is still a link")
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), model)
        XCTAssertEqual(try String(contentsOfFile: dir.appendingPathComponent("new.txt").path, encoding: .utf8), model)
    }

    func testARegularFileKeepsItsPermissions() throws {
        let dir = try temporaryDirectory(self)
        let out = dir.appendingPathComponent("private.txt").path
        try "old\n".write(toFile: out, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(out, 0o600), 0)
        let r = try Graphsmith.run(["convert", try modelFile(dir), out, "--specs", repositorySpecs])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), model)
        var info = stat()
        XCTAssertEqual(stat(out, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "a private file stays private")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }
}
