import Foundation
import XCTest
@testable import TensorCore

/// Where `OutputFile` sends bytes: regular files are replaced, devices, FIFOs and file-descriptor links are written in
/// place, links are followed, and a failed write throws with the path as given.
final class OutputFileTests: XCTestCase {
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "output-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testTargets() throws {
        let dir = try folder()
        XCTAssertEqual(try OutputFile.target(of: dir + "/new.txt"), .replace(dir + "/new.txt", mode: nil))
        XCTAssertEqual(try OutputFile.target(of: "/dev/null"), .stream("/dev/null", append: false))
        XCTAssertEqual(try OutputFile.target(of: "/dev/stdout"), .descriptor(1))
        XCTAssertEqual(try OutputFile.target(of: "/proc/self/fd/2"), .descriptor(2))
        XCTAssertEqual(symlink("a/../b.txt", dir + "/link"), 0)
        XCTAssertEqual(try OutputFile.target(of: dir + "/link"), .replace(dir + "/a/../b.txt", mode: nil))
        XCTAssertEqual(symlink("loop", dir + "/loop"), 0)
        XCTAssertThrowsError(try OutputFile.target(of: dir + "/loop")) { error in
            XCTAssertEqual(error as? OutputFileError, OutputFileError(dir + "/loop", String(cString: strerror(ELOOP))))
        }
        XCTAssertThrowsError(try OutputFile.target(of: dir)) { error in
            XCTAssertEqual("\(error)", "cannot write '\(dir)': it is a directory")
        }
    }

    func testDescriptorNames() {
        for path in ["/dev/fd/1", "/proc/self/fd/2", "/proc/123/fd/7"] { XCTAssertTrue(OutputFile.namesDescriptor(path), path) }
        for path in ["/dev/stdout", "/tmp/fd/1", "/proc/self/fd", "fd/1"] { XCTAssertFalse(OutputFile.namesDescriptor(path), path) }
        XCTAssertEqual(OutputFile.ownDescriptor("/proc/\(getpid())/fd/5"), 5)
        XCTAssertEqual(OutputFile.ownDescriptor("/dev/fd/3"), 3)
        XCTAssertNil(OutputFile.ownDescriptor("/proc/1/fd/5"), "another process's descriptor")
    }

    /// A file graphsmith names in its own folder: a link or FIFO planted there is replaced, not followed or waited on.
    func testReplaceDoesNotFollow() throws {
        let dir = try folder()
        try "theirs\n".write(toFile: dir + "/target", atomically: true, encoding: .utf8)
        XCTAssertEqual(symlink(dir + "/target", dir + "/state.json"), 0)
        XCTAssertEqual(mkfifo(dir + "/summary.md", 0o600), 0)
        for name in ["state.json", "summary.md"] {
            try OutputFile.replace(Data("ours\n".utf8), at: dir + "/" + name)
            XCTAssertEqual(try String(contentsOfFile: dir + "/" + name, encoding: .utf8), "ours\n")
            var info = stat()
            XCTAssertEqual(lstat(dir + "/" + name, &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, name)
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/target", encoding: .utf8), "theirs\n")
    }

    func testAFullDeviceThrows() {
        XCTAssertThrowsError(try OutputFile.write("x", to: "/dev/full")) { error in
            XCTAssertEqual(error as? OutputFileError, OutputFileError("/dev/full", "No space left on device"))
        }
    }

    func testAMissingFolderThrowsAndLeavesNothing() throws {
        let dir = try folder()
        XCTAssertThrowsError(try OutputFile.write("x", to: dir + "/missing/out.txt")) { error in
            XCTAssertEqual("\(error)", "cannot write '\(dir)/missing/out.txt': No such file or directory")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}
