import XCTest
import SpecLang
@testable import SpecLib

/// Meaning errors: each a one-line located message.
final class CheckerErrorTests: XCTestCase {
    static let header = "op A\ntypes T in float\n"

    func checkError(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(Self.header + body, file: file, line: line)
    }

    func testUnknownNameInCompute() {
        XCTAssertEqual(checkError("input X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i] * alpah\n"),
                       "A.op:5:25: error: unknown name 'alpah'")
    }

    func testUndeclaredTypeVariable() {
        XCTAssertEqual(checkError("input X: U[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"),
                       "A.op:3:10: error: unknown type 'U' for 'X'; declare it with 'types U in ...'")
    }

    func testUnknownDTypeInTypeVariable() {
        XCTAssertEqual(checkError("types U in f32, f128\ninput X: U[*S]\noutput Y: U[*S]\ncompute Y[*i] = X[*i]\n"),
                       "A.op:3:7: error: unknown dtype or group 'f128' in type variable 'U'")
    }

    func testTypeVariableUsedAsValue() {
        XCTAssertEqual(checkError("input X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i] + T\n"),
                       "A.op:5:25: error: type variable 'T' can only be used in cast(T, x) and compared with a dtype (T == f32)")
    }

    func testRankMismatchInRead() {
        XCTAssertEqual(checkError("input X: T[N, C]\noutput Y: T[N]\ncompute Y[n] = X[n]\n"),
                       "A.op:5:16: error: 'X' is read with 1 index items but its shape has 2")
    }

    func testRankMismatchInComputeIndices() {
        XCTAssertEqual(checkError("input X: T[N, C]\noutput Y: T[N, C]\ncompute Y[n] = X[n, 0]\n"),
                       "A.op:5:9: error: 'Y' has 2 shape items but the compute binds 1 indices")
    }

    func testSpliceMismatch() {
        XCTAssertEqual(checkError("input X: T[*S]\noutput Y: T[*S]\ncompute Y[i] = X[i]\n"),
                       "A.op:5:11: error: 'i' lines up with a shape splice; write '*i'")
    }

    func testConstraintOnUndefinedSymbol() {
        XCTAssertEqual(checkError("input X: T[N]\nrequire M > 0\noutput Y: T[N]\ncompute Y[n] = X[n]\n"),
                       "A.op:4:9: error: unknown name 'M'; did you mean 'N'?")
    }

    func testMissingCompute() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\n"), "A.op:4:8: error: output 'Y' has no 'compute'")
    }

    func testDuplicateDeclaration() {
        XCTAssertEqual(checkError("attr a: int = 1\nattr a: real = 1.0\ninput X: T[N]\noutput Y: T[N]\ncompute Y[n] = X[n]\n"),
                       "A.op:4:6: error: 'a' is already declared")
    }

    func testWrongArity() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[n] = pow(X[n])\n"),
                       "A.op:5:16: error: 'pow' takes 2 arguments, got 1")
    }

    func testUnknownFunction() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[n] = expp(X[n])\n"),
                       "A.op:5:16: error: unknown function 'expp'; did you mean 'exp'?")
    }

    func testBadEnumDefault() {
        XCTAssertEqual(checkError("attr mode: enum(a, b) = c\ninput X: T[N]\noutput Y: T[N]\ncompute Y[n] = X[n]\n"),
                       "A.op:3:25: error: default of 'mode' must be one of a, b")
    }

    func testDomainOnNonInput() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ndomain Y: Y > 0\ncompute Y[n] = X[n]\n"),
                       "A.op:5:8: error: domain names 'Y', which is neither an input nor a stage")
    }

    func testDomainOnAStageMayReadTheOtherStages() {
        let body = "input X: T[N]\noutput Y: T[N]\nstage S[n] : [N] = X[n] * X[n]\nstage R[n] : [N] = X[n] + 1\n"
            + "domain S: S >= 1e-3 * R\ncompute Y[n] = S[n]\n"
        XCTAssertNoThrow(try Checker.check(try Parser.parse(path: "A.op", source: Self.header + body), family: "test"))
        let unknown = checkError("input X: T[N]\noutput Y: T[N]\nstage S[n] : [N] = X[n] * X[n]\ndomain S: S >= Z\ncompute Y[n] = S[n]\n")
        XCTAssertTrue(unknown.contains("unknown name 'Z'"), unknown)
    }

    func testComputeForNonOutput() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[n] = X[n]\ncompute X[n] = X[n]\n"),
                       "A.op:6:9: error: 'compute' names 'X', which is not an output")
    }

    static let body = "input X: T[N]\noutput Y: T[N]\ncompute Y[n] = X[n]\n"

    func testAnOnnxLineBeforeTheLastNeedsWhen() {
        XCTAssertEqual(checkError("onnx Foo opset 13\nonnx Foo opset 14\n" + Self.body),
                       "A.op:3:1: error: an 'onnx' line before the last needs 'when cond' (the instances it maps)")
    }

    func testTheLastOnnxLineHasNoWhen() {
        XCTAssertEqual(checkError("onnx Foo opset 13 when T == f32\n" + Self.body),
                       "A.op:3:26: error: the last 'onnx' line has no 'when': it maps every instance the lines before it do not")
    }

    func testOnnxLinesMapToOneOperatorType() {
        XCTAssertEqual(checkError("onnx Foo opset 13 when T == f32\nonnx Bar opset 14\n" + Self.body),
                       "A.op:4:1: error: 'onnx' lines map to Foo and Bar: one operator, one ONNX operator type")
    }

    func testATypeVariableComparesWithADtype() throws {
        XCTAssertEqual(checkError("onnx Foo opset 13 when T == 3\nonnx Foo opset 14\n" + Self.body),
                       "A.op:3:26: error: a type variable compares only with a dtype (T == bf16) or another type variable")
        let source = Self.header + "onnx Foo opset 13 when T != bf16 && N > 1\nonnx Foo opset 14\n" + Self.body
        let spec = try Checker.check(try Parser.parse(path: "A.op", source: source), family: "test")
        XCTAssertEqual(spec.file.onnxMappings.map(\.opset), [13, 14])
    }

    func testReadingAnOutput() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[n] = Y[n]\n"),
                       "A.op:5:16: error: output 'Y' cannot be read; use a stage")
    }
}
