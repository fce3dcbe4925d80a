import XCTest
import SpecLang
@testable import SpecLib

/// Located errors for `const D fraction(v, bits)` operands of an `onnx` line (a float vector carried as v / 2^bits).
final class FractionOperandErrorTests: XCTestCase {
    func source(_ operand: String) -> String {
        "op A\nonnx Resize opset 13 (inputs = [X, none, const f32 \(operand)])\ntypes T in float\n"
            + "attr s: ints[rank(X)] = 0\nattr b: int = 0\nattr bs: ints[rank(X)] = 0\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"
    }

    func testAcceptsIntAndIntsExponents() throws {
        for operand in ["fraction(s, b)", "fraction(s, bs)"] {
            let spec = try Checker.check(try Parser.parse(path: "A.op", source: source(operand)), family: "test")
            let inputs = spec.file.onnxMappings[0].inputs ?? []
            guard case .constant(_, let e)? = inputs.last, let f = OnnxMapping.fraction(e) else { return XCTFail("\(operand): no fraction operand") }
            XCTAssertEqual("\(f.value)", "s")
        }
    }

    func testArity() {
        XCTAssertEqual(specCheckError(source("fraction(s)")),
                       "A.op:2:52: error: a constant input is written 'fraction(v, bits)': an ints attribute, then an int or ints attribute (got 1 arguments)")
    }

    func testValueMustBeAnIntsAttribute() {
        XCTAssertEqual(specCheckError(source("fraction(b, b)")), "A.op:2:61: error: 'fraction' takes an ints attribute here, got 'b'")
    }

    func testExponentMustBeAnIntegerAttribute() {
        XCTAssertEqual(specCheckError(source("fraction(s, X)")), "A.op:2:64: error: 'fraction' takes an int or ints attribute here, got 'X'")
        XCTAssertEqual(specCheckError(source("fraction(s, 2)")), "A.op:2:64: error: 'fraction' takes an int or ints attribute here, got '2'")
    }
}
