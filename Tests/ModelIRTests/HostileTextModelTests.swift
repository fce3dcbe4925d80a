import Foundation
import TensorCore
import XCTest
@testable import ModelIR

/// Text model files built to exhaust memory, overflow a count or slip invalid values in: each is refused with one
/// located error, before anything is allocated.
final class HostileTextModelTests: XCTestCase {
    func readError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ModelFormatError? {
        do {
            _ = try TextReader.read(text, path: "m.txt")
            XCTFail("expected a format error", file: file, line: line)
            return nil
        } catch let e as ModelFormatError {
            XCTAssertFalse(e.description.contains("\n"), "one line", file: file, line: line)
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    /// 10^12 elements (8 TB of f64) is refused at the shape, naming the file and line.
    func testHugeInputIsRefused() throws {
        let e = try XCTUnwrap(readError("graphsmith-model 1\ninput x: f32[1000000, 1000000]\noutput x\n"))
        XCTAssertEqual(e.path, "m.txt")
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(e.column, "input x: f32[".count)
        XCTAssertTrue(e.message.contains("more than \(1 << 28) elements"), e.message)
    }

    /// 2^96 elements overflows Int: refused, not a trap.
    func testOverflowingShapeIsRefused() throws {
        let e = try XCTUnwrap(readError("graphsmith-model 1\ninput x: f32[4294967296, 4294967296, 4294967296]\noutput x\n"))
        XCTAssertEqual(e.line, 2)
        XCTAssertTrue(e.message.contains("elements"), e.message)
    }

    /// The cap is the one ONNX import applies, 2^28 elements: exactly at it is a valid type (no data is needed to
    /// declare an input), one dim more is not.
    func testCapIsTheOnnxImportCap() throws {
        XCTAssertNoThrow(try TextReader.read("graphsmith-model 1\ninput x: u8[16384, 16384]\noutput x\n"))
        XCTAssertNotNil(readError("graphsmith-model 1\ninput x: u8[16384, 16385]\noutput x\n"))
    }

    func testHugeWeightIsRefusedBeforeItsData() throws {
        let e = try XCTUnwrap(readError("graphsmith-model 1\nweight w: f64[4294967296, 4294967296] = 00\noutput w\n"))
        XCTAssertEqual(e.line, 2)
    }

    func testHugeNodeOutputIsRefused() throws {
        let text = "graphsmith-model 1\ninput x: f32[2]\nnode y: f32[65536, 65536] = Relu(x)\noutput y\n"
        XCTAssertEqual(try XCTUnwrap(readError(text)).line, 3)
    }

    /// Only 00 and 01 are bools.
    func testBoolWeightBytesOtherThanZeroAndOneAreRefused() throws {
        for byte in ["02", "ff"] {
            let e = try XCTUnwrap(readError("graphsmith-model 1\nweight flags: bool[2] = 01 \(byte)\noutput flags\n"))
            XCTAssertEqual(e.line, 2)
            XCTAssertTrue(e.message.contains("weight 'flags'"), e.message)
            XCTAssertTrue(e.message.contains("'\(byte)'"), e.message)
        }
        let model = try TextReader.read("graphsmith-model 1\nweight flags: bool[2] = 01 00\noutput flags\n")
        XCTAssertEqual(model.weights.first?.value.bits, [1, 0])
    }

    /// A file saved with Windows line ends reads like the same file with Unix ones.
    func testCRLFLineEndsAreAccepted() throws {
        let unix = "graphsmith-model 1\ninput x: f32[2]\nnode y: f32[2] = Relu(x)\noutput y\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try TextReader.read(windows, path: "m.txt"), try TextReader.read(unix, path: "m.txt"))
        // Errors still point at the right line.
        let bad = "graphsmith-model 1\r\ninput x: f32[2]\r\nbogus\r\n"
        XCTAssertEqual(try XCTUnwrap(readError(bad)).line, 3)
    }
}
