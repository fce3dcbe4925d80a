import XCTest
import SpecLang
@testable import SpecLib

/// The `torch` line: a Python template whose `$name` and `$(expression)` placeholders are checked like the rest of
/// the spec, with errors at the placeholder's own column.
final class TorchLineTests: XCTestCase {
    static let header = "op A\ntypes T in float\nattr axis: int in 0 .. 3 = 0\ninput X: T[N]\noutput Y: T[N]\ncompute Y[i] = X[i]\n"

    func checkError(_ lines: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        specCheckError(Self.header + lines, file: file, line: line)
    }

    func testPlaceholdersSplitTheText() throws {
        let spec = try Checker.check(try Parser.parse(path: "A.op", source: Self.header + "torch \"F.f($X, $axis + $(axis * 2), $T)\"\n"), family: "t")
        let m = try XCTUnwrap(spec.file.torchMappings.first)
        var shown: [String] = []
        for piece in m.pieces {
            switch piece {
            case .text(let t): shown.append("text:" + t)
            case .placeholder(let e): shown.append("$\(e)")
            }
        }
        XCTAssertEqual(shown, ["text:F.f(", "$X", "text:, ", "$axis", "text: + ", "$axis * 2", "text:, ", "$T", "text:)"])
    }

    func testDollarWithoutAName() {
        // The text starts at column 8 (after `torch "`); the `$` is its 8th character.
        XCTAssertEqual(checkError("torch \"F.relu($)\"\n"), "A.op:7:15: error: '$' starts a placeholder: '$name' or '$(expression)'")
    }

    func testUnclosedExpression() {
        XCTAssertEqual(checkError("torch \"f($(axis\"\n"), "A.op:7:10: error: unclosed '$(' placeholder")
    }

    func testOutputsCannotBeRead() {
        XCTAssertEqual(checkError("torch \"f($Y)\"\n"), "A.op:7:11: error: '$Y' is an output: the 'torch' expression computes it, and cannot read it")
    }

    func testUnknownNameIsLocatedInsideTheString() {
        XCTAssertEqual(checkError("torch \"f($axsi)\"\n"), "A.op:7:11: error: unknown name 'axsi'; did you mean 'axis'?")
        XCTAssertEqual(checkError("torch \"f(1, $(2 * axsi))\"\n"), "A.op:7:19: error: unknown name 'axsi'; did you mean 'axis'?")
    }

    func testEveryLineButTheLastNeedsWhen() {
        XCTAssertEqual(checkError("torch \"f($X)\"\ntorch \"g($X)\"\n"),
                       "A.op:7:1: error: a 'torch' line before the last needs 'when cond' (the instances it maps)")
        // A comparison is located at its operator.
        XCTAssertEqual(checkError("torch \"f($X)\" when axis == 0\n"),
                       "A.op:7:25: error: the last 'torch' line has no 'when': it maps every instance the lines before it do not")
    }

    func testTheExpressionIsAString() {
        XCTAssertEqual(checkError("torch relu\n"), "A.op:7:7: error: expected the Python expression as a string after 'torch', found 'relu'")
        XCTAssertEqual(checkError("torch \"  \"\n"), "A.op:7:7: error: empty 'torch' expression")
    }
}
