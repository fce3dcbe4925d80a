import XCTest
@testable import SpecLang

/// Each malformed spec must fail with one located line `path:line:column: error: message`.
final class MalformedSpecTests: XCTestCase {
    /// Parses `source` and returns the error's description, failing when parsing succeeds.
    func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Parser.parse(path: "t.op", source: source)
            XCTFail("expected a parse error", file: file, line: line)
            return ""
        } catch let e as SpecError {
            XCTAssertFalse(e.description.contains("\n"), "one line", file: file, line: line)
            return e.description
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return ""
        }
    }

    func testToleranceLines() throws {
        let spec = try Parser.parse(path: "t.op", source: "op A\ntolerance f64 rtol 1e-6\n")
        XCTAssertEqual(spec.tolerances.map(\.dtype), ["f64"])
        XCTAssertEqual(spec.tolerances.first?.rtol, 1e-6)
        XCTAssertEqual(parseError("op A\ntolerance i32 rtol 1e-6\n"), "t.op:2:11: error: 'i32' is not a float dtype (f16, bf16, f32, f64)")
        XCTAssertEqual(parseError("op A\ntolerance f64 rtol 2\n"), "t.op:2:20: error: rtol must be between 0 and 1")
        XCTAssertTrue(parseError("op A\ntolerance f64 1e-6\n").contains("expected 'rtol'"))
    }

    func testMissingOpLine() {
        XCTAssertEqual(parseError("types T in f32\n"), "t.op:1:1: error: a spec starts with 'op Name', found 'types'")
    }

    func testUnknownStatementSuggestsKeyword() {
        XCTAssertEqual(parseError("op A\ninptu X: T[N]\n"), "t.op:2:1: error: unknown statement 'inptu'; did you mean 'input'?")
    }

    func testUnbalancedBracket() {
        XCTAssertEqual(parseError("op A\ninput X: T[N, C\n"), "t.op:2:16: error: expected ',' or ']', found end of line")
    }

    func testUnexpectedCharacter() {
        XCTAssertEqual(parseError("op A\nrequire N $ 2\n"), "t.op:2:11: error: unexpected character '$'")
    }

    func testUnterminatedString() {
        XCTAssertEqual(parseError("op A\ndoc \"abc\n"), "t.op:2:5: error: unterminated string")
    }

    func testChainedComparison() {
        XCTAssertEqual(parseError("op A\nrequire 0 < N < 4\n"), "t.op:2:15: error: comparisons do not chain; use '&&'")
    }

    func testUnknownAttributeKind() {
        XCTAssertEqual(parseError("op A\nattr a: float\n"),
                       "t.op:2:9: error: unknown attribute kind 'float' (expected int, real, bool, ints, enum, dtype, perm or axes)")
    }

    func testSecondOpLine() {
        XCTAssertEqual(parseError("op A\nop B\n"), "t.op:2:1: error: a second 'op' line: one operator per file")
    }

    func testOnnxLinesWithWhen() throws {
        let spec = try Parser.parse(path: "t.op", source: "op A\nonnx Mod opset 13 (fmod = fmod) when fmod\nonnx Mod opset 28 (fmod = fmod)\n")
        XCTAssertEqual(spec.onnxMappings.map { $0.condition?.description }, ["fmod", nil])
        XCTAssertEqual(spec.onnx?.opset, 28)
        XCTAssertEqual(parseError("op A\nonnx Mod opset 13 when\n"), "t.op:2:23: error: unexpected end of line")
    }

    func testIndentedFirstLine() {
        XCTAssertEqual(parseError("  op A\n"), "t.op:1:3: error: indented line continues no statement")
    }

    func testTrailingGarbage() {
        XCTAssertEqual(parseError("op A B\n"), "t.op:1:6: error: unexpected 'B' at end of statement")
    }

    func testContinuationLinesJoin() throws {
        let spec = try Parser.parse(path: "t.op", source: "op A\ntypes T in f32\ninput X: T[N,\n    C]\noutput Y: T[N]\ncompute Y[n] = sum(c < C)\n    X[n, c]\n")
        XCTAssertEqual(spec.inputs[0].shape.count, 2)
        XCTAssertEqual(spec.computes[0].body.description, "sum(c < C) X[n, c]")
    }

    func testReductionBodyExtendsAndElseBindsTight() throws {
        let spec = try Parser.parse(path: "t.op", source: "op A\ncompute Y[k] = sum(c < C) X[c - 1] else 0 * W[k, c] + 1\n")
        XCTAssertEqual(spec.computes[0].body.description, "sum(c < C) X[c - 1] else 0 * W[k, c] + 1")
        guard case .reduce(_, _, let body) = spec.computes[0].body.kind, case .binary("+", let lhs, _) = body.kind,
              case .binary("*", let read, _) = lhs.kind, case .read("X", _, let d) = read.kind else {
            return XCTFail("unexpected tree \(spec.computes[0].body)")
        }
        XCTAssertEqual(d?.description, "0")
    }

    func testMaxCallIsNotAReduction() throws {
        let spec = try Parser.parse(path: "t.op", source: "op A\ncompute Y[*i] = max(X[*i], 0)\n")
        guard case .call("max", let args) = spec.computes[0].body.kind else { return XCTFail("not a call") }
        XCTAssertEqual(args.count, 2)
    }
}
