import XCTest
@testable import SpecLang

/// Spec expressions built to exhaust the stack: each must fail with one located error, never crash.
final class HostileSpecTests: XCTestCase {
    /// A spec whose one `compute` line (line 5, starting at column 1) has `body` as its expression.
    static func spec(_ body: String) -> String {
        "op A\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = \(body)\n"
    }

    /// The column where the body starts on line 5.
    static let bodyColumn = "compute Y[*i] = ".count + 1

    func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> SpecError? {
        do {
            _ = try Parser.parse(path: "A.op", source: source)
            XCTFail("expected a parse error", file: file, line: line)
            return nil
        } catch let e as SpecError {
            XCTAssertFalse(e.description.contains("\n"), "one line", file: file, line: line)
            return e
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    func testFiveThousandParenthesesAreALocatedError() throws {
        let n = 5_000
        let e = try XCTUnwrap(parseError(Self.spec(String(repeating: "(", count: n) + "X[*i]" + String(repeating: ")", count: n))))
        XCTAssertEqual(e.location.file, "A.op")
        XCTAssertEqual(e.location.line, 5)
        // Refused at the first parenthesis past the limit, not after reading all of them.
        XCTAssertEqual(e.location.column, Self.bodyColumn + ExprDepth.limit)
        XCTAssertTrue(e.message.contains("nested more than \(ExprDepth.limit) levels"), e.message)
    }

    func testLongSumIsALocatedError() throws {
        let terms = Array(repeating: "X[*i]", count: 150_000)
        let e = try XCTUnwrap(parseError(Self.spec(terms.joined(separator: " + "))))
        XCTAssertEqual(e.location.line, 5)
        // The tree of a + a + ... leans left and is as deep as the chain is long: the operator that makes it
        // deeper than the limit is the one pointed at. Each term and its " + " take 8 columns; a read X[*i] is two
        // levels, so operator k (from 1) makes the tree k + 2 deep, and operator limit - 1 is the first too many.
        XCTAssertEqual(e.location.column, Self.bodyColumn + (ExprDepth.limit - 2) * 8 + 6)
        XCTAssertTrue(e.message.contains("chain of more than \(ExprDepth.limit) operators"), e.message)
    }

    func testLongChainOfPrefixOperatorsIsALocatedError() throws {
        let e = try XCTUnwrap(parseError(Self.spec(String(repeating: "!", count: 100_000) + "X[*i]")))
        XCTAssertEqual(e.location.line, 5)
        XCTAssertEqual(e.location.column, Self.bodyColumn + ExprDepth.limit)
    }

    func testDeeplyNestedIdentityTermIsALocatedError() throws {
        let n = 5_000
        let term = String(repeating: "A(", count: n) + "X" + String(repeating: ")", count: n)
        let e = try XCTUnwrap(parseError("op A\nidentity deep: \(term) == X\n"))
        XCTAssertEqual(e.location.line, 2)
        XCTAssertTrue(e.message.contains("nested more than"), e.message)
    }

    /// What the limit leaves: nesting and chains well past what real specs use (about 25 levels) still parse.
    func testExpressionsBelowTheLimitParse() throws {
        let n = ExprDepth.limit - 4
        let nested = String(repeating: "(", count: n) + "X[*i]" + String(repeating: ")", count: n)
        XCTAssertEqual(try Parser.parse(path: "A.op", source: Self.spec(nested)).computes.count, 1)
        let chain = Array(repeating: "X[*i]", count: ExprDepth.limit - 2).joined(separator: " + ")
        XCTAssertEqual(try Parser.parse(path: "A.op", source: Self.spec(chain)).computes.count, 1)
    }
}
