import XCTest
import SpecLang
@testable import SpecLib

/// `key = tensor(D, x)` in an `onnx` line (ConstantOfShape's `value`), and `const D x` with a dtype attribute `D`.
final class OnnxTensorAttributeTests: XCTestCase {
    static let source = "op A\nattr to: dtype in f32, i32\nattr v: real in 0 .. 1 = 0\n%@\noutput Y: to[]\ncompute Y[] = cast(to, v)\n"

    func check(_ onnxLine: String) throws -> OnnxMapping? {
        let parsed = try Parser.parse(path: "A.op", source: String(format: Self.source, onnxLine))
        return try Checker.check(parsed, family: "test").file.onnx
    }

    func checkError(_ onnxLine: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(String(format: Self.source, onnxLine), file: file, line: line)
    }

    func testTensorAttributeAndDTypeAttributeConstantParse() throws {
        let m = try XCTUnwrap(check("onnx Foo opset 9 (inputs = [const to v], value = tensor(to, v))"))
        let typed = m.typedConstants.map { "\($0.dtype) \($0.value)" }
        XCTAssertEqual(typed, ["to v", "to v"])
        // A plain entry is no tensor attribute.
        let plain = try XCTUnwrap(check("onnx Foo opset 9 (value = v)"))
        XCTAssertNil(OnnxMapping.tensorAttribute(plain.attributes[0].value))
        XCTAssertTrue(plain.typedConstants.isEmpty)
    }

    func testMalformedTensorAttributeIsALocatedError() {
        XCTAssertEqual(checkError("onnx Foo opset 9 (value = tensor(v))"),
                       "A.op:4:27: error: ONNX attribute 'value' is written 'tensor(DTYPE, value)': a dtype, type variable or dtype attribute, then a value (got 1 arguments)")
        XCTAssertEqual(checkError("onnx Foo opset 9 (value = tensor(v, v))"),
                       "A.op:4:34: error: unknown dtype 'v' for ONNX tensor attribute 'value'")
        XCTAssertEqual(checkError("onnx Foo opset 9 (value = tensor(to, w))"),
                       "A.op:4:38: error: unknown name 'w'; did you mean 'Y'?")
    }
}
