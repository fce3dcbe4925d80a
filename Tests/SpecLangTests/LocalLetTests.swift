import XCTest
@testable import SpecLang

/// `let name = value in body` inside an expression, and `if cond else value` after an input.
final class LocalLetTests: XCTestCase {
    func parse(_ source: String) throws -> SpecFile { try Parser.parse(path: "t.op", source: source) }

    func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(source)
            XCTFail("expected a parse error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testLetIsReplacedByItsValue() throws {
        let spec = try parse("op A\ncompute Y[i] = let d = X[i] - 1 in d * d\n")
        let direct = try parse("op A\ncompute Y[i] = (X[i] - 1) * (X[i] - 1)\n")
        XCTAssertEqual(spec.computes[0].body.description, direct.computes[0].body.description)
    }

    func testNestedLets() throws {
        let spec = try parse("op A\ncompute Y[i] = let a = X[i] in let b = a + a in b * a\n")
        XCTAssertEqual(spec.computes[0].body.description, try parse("op A\ncompute Y[i] = (X[i] + X[i]) * X[i]\n").computes[0].body.description)
    }

    func testLoopVariableMayNotCaptureTheValue() {
        XCTAssertEqual(parseError("op A\ncompute Y[i] = let d = X[i] in sum(i < 3) d\n"),
                       "t.op:2:36: error: loop variable 'i' would capture 'i' in the value of 'd'; rename it")
    }

    func testLoopVariableMayNotHideTheLet() {
        XCTAssertEqual(parseError("op A\ncompute Y[i] = let d = X[i] in sum(d < 3) d\n"),
                       "t.op:2:36: error: loop variable 'd' hides the local 'd'")
    }

    func testLocalIsNotATensor() {
        XCTAssertEqual(parseError("op A\ncompute Y[i] = let d = X[i] in d[0]\n"),
                       "t.op:2:32: error: 'd' is a local value, not a tensor: it cannot be indexed")
    }

    func testLetNeedsIn() {
        XCTAssertEqual(parseError("op A\ncompute Y[i] = let d = X[i] d\n"), "t.op:2:29: error: expected 'in', found 'd'")
    }

    func testOptionalInputNeedsElse() {
        XCTAssertEqual(parseError("op A\nweight B: T[K] if bias\n"), "t.op:2:23: error: expected 'else', found end of line")
    }

    func testOptionalInputParses() throws {
        let spec = try parse("op A\nweight B: T[K] if n >= 2 else lowest(T)\n")
        XCTAssertEqual(spec.ports[0].presence?.condition.description, "n >= 2")
        XCTAssertEqual(spec.ports[0].presence?.fallback.description, "lowest(T)")
    }
}
