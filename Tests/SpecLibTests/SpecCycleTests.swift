import XCTest
import SpecLang
@testable import SpecLib

/// `let`s and stages are computed in file order: a use of itself or of a later one is refused where it is written.
final class SpecCycleTests: XCTestCase {
    func checkError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(source, file: file, line: line)
    }

    static let header = "op A\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\n"

    func testLetUsingItself() {
        XCTAssertEqual(checkError(Self.header + "let a = a + 1\ncompute Y[*i] = X[*i]\n"), "A.op:5:9: error: let 'a' uses itself")
    }

    func testLetsUsingEachOther() {
        XCTAssertEqual(checkError(Self.header + "let a = rank(X) + b\nlet b = a * 2\ncompute Y[*i] = X[*i]\n"),
                       "A.op:5:19: error: let 'a' uses 'b', which is declared after it (line 6); lets are computed in order")
    }

    func testStageReadingItself() {
        XCTAssertEqual(checkError(Self.header + "stage M[*i] : [*S] = M[*i] + X[*i]\ncompute Y[*i] = M[*i]\n"),
                       "A.op:5:22: error: stage 'M' reads itself")
    }

    func testStageReadingALaterStage() {
        let source = Self.header + "stage M[*i] : [*S] = N[*i]\nstage N[*i] : [*S] = M[*i] * 2\ncompute Y[*i] = N[*i]\n"
        XCTAssertEqual(checkError(source),
                       "A.op:5:22: error: stage 'M' reads 'N', which is defined after it (line 6); stages are computed in order")
    }

    /// The order the evaluators compute in is accepted.
    func testEarlierLetsAndStagesAreAccepted() throws {
        let source = Self.header + "let a = rank(X)\nlet b = a * 2\nstage M[*i] : [*S] = X[*i] * b\nstage N[*i] : [*S] = M[*i] + a\ncompute Y[*i] = N[*i]\n"
        XCTAssertEqual(try Checker.check(try Parser.parse(path: "A.op", source: source), family: "test").name, "A")
    }
}
