import XCTest
import SpecLang
@testable import SpecLib

/// Located errors for optional inputs (`if cond else value`) and `lowest`/`highest`.
final class OptionalInputErrorTests: XCTestCase {
    static let header = "op A\ntypes T in float\nattr bias: bool = 1\n"

    func checkError(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(Self.header + body, file: file, line: line)
    }

    func testOptionalOutputIsRefused() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N] if bias else 0\ncompute Y[i] = X[i]\n"),
                       "A.op:5:19: error: output 'Y' cannot be optional: only inputs and weights take 'if COND else VALUE'")
    }

    func testPresenceMayNotDependOnADim() {
        XCTAssertEqual(checkError("input X: T[N]\nweight B: T[N] if N > 1 else 0\noutput Y: T[N]\ncompute Y[i] = X[i] + B[i]\n"),
                       "A.op:5:19: error: whether 'B' is present may depend on attributes only, not on 'N'")
    }

    func testUnknownPresenceName() {
        XCTAssertEqual(checkError("input X: T[N]\nweight B: T[N] if bais else 0\noutput Y: T[N]\ncompute Y[i] = X[i] + B[i]\n"),
                       "A.op:5:19: error: unknown name 'bais'; did you mean 'bias'?")
    }

    func testFallbackMayNotReadATensor() {
        XCTAssertEqual(checkError("input X: T[N]\nweight B: T[N] if bias else X[0]\noutput Y: T[N]\ncompute Y[i] = X[i] + B[i]\n"),
                       "A.op:5:29: error: the value of absent 'B' reads tensor 'X': it must be a constant over attributes, dims and lets")
    }

    func testLowestOfANonDType() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[i] = max(X[i], lowest(N))\n"),
                       "A.op:6:33: error: lowest() takes a dtype, type variable or dtype attribute")
    }

    func testHighestArity() {
        XCTAssertEqual(checkError("input X: T[N]\noutput Y: T[N]\ncompute Y[i] = min(X[i], highest(T, T))\n"),
                       "A.op:6:26: error: 'highest' takes 1 argument, got 2")
    }

    func testAcceptedOptionalInput() throws {
        let source = Self.header + "input X: T[N]\nweight B: T[N] if bias else lowest(T)\noutput Y: T[N]\ncompute Y[i] = max(X[i], B[i])\n"
        let spec = try Checker.check(try Parser.parse(path: "A.op", source: source), family: "test")
        XCTAssertEqual(spec.inputPorts(attributes: [:]).map(\.name), ["X", "B"])
        XCTAssertEqual(spec.inputPorts(attributes: ["bias": .int(0)]).map(\.name), ["X"])
        XCTAssertEqual(spec.presenceAttributes, ["bias"])
    }
}
