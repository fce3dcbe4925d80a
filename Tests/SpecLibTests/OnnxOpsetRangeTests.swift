import XCTest
import SpecLang
@testable import SpecLib

/// `onnx Op opset N same A..B`: the model opsets with the meaning the line implements, parsed and checked.
final class OnnxOpsetRangeTests: XCTestCase {
    static let source = "op A\ntypes T in float\n%@\ninput X: T[N]\noutput Y: T[N]\ncompute Y[n] = X[n]\n"

    func check(_ onnxLine: String) throws -> OnnxMapping? {
        let parsed = try Parser.parse(path: "A.op", source: String(format: Self.source, onnxLine))
        return try Checker.check(parsed, family: "test").file.onnx
    }

    func checkError(_ onnxLine: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(String(format: Self.source, onnxLine), file: file, line: line)
    }

    func testRangesParse() throws {
        let open = try XCTUnwrap(check("onnx Foo opset 13 same 11.. (axis = 1)"))
        XCTAssertEqual(open.same, OpsetRange(lowest: 11, highest: nil))
        XCTAssertEqual(open.attributes.map(\.name), ["axis"])
        XCTAssertTrue(open.acceptedOpsets.contains(OpsetRange.newestOnnxOpset))
        XCTAssertFalse(open.acceptedOpsets.contains(10))
        let closed = try XCTUnwrap(check("onnx Foo opset 13 same 13..17"))
        XCTAssertEqual(closed.acceptedOpsets, OpsetRange(lowest: 13, highest: 17))
        XCTAssertFalse(closed.acceptedOpsets.contains(18))
        // Without `same`, the line's own opset and every later one.
        XCTAssertEqual(try XCTUnwrap(check("onnx Foo opset 13")).acceptedOpsets, OpsetRange(lowest: 13, highest: nil))
    }

    func testARangeMustHoldTheOpsetAndStayWithinKnownOpsets() {
        let newest = OpsetRange.newestOnnxOpset
        XCTAssertEqual(checkError("onnx Foo opset 13 same 14.."),
                       "A.op:3:1: error: 'same 14..' must hold the line's opset 13 and stay within 1..\(newest)")
        XCTAssertEqual(checkError("onnx Foo opset 13 same 7..12"),
                       "A.op:3:1: error: 'same 7..12' must hold the line's opset 13 and stay within 1..\(newest)")
        XCTAssertEqual(checkError("onnx Foo opset 13 same 0..13"),
                       "A.op:3:1: error: 'same 0..13' must hold the line's opset 13 and stay within 1..\(newest)")
        XCTAssertEqual(checkError("onnx Foo opset 13 same 13..999"),
                       "A.op:3:1: error: 'same 13..999' must hold the line's opset 13 and stay within 1..\(newest)")
        XCTAssertEqual(checkError("onnx Foo opset 999"), "A.op:3:1: error: opset 999 is not an ONNX opset (1 to \(newest))")
        XCTAssertTrue(checkError("onnx Foo opset 13 same ..").contains("expected the lowest opset with the same meaning"))
    }
}
