import SpecLang
import XCTest
@testable import SpecLib

/// The one-line error `specs check` gives for `source` (a whole spec file named A.op); fails the test when the
/// spec checks or the error spans lines.
func specCheckError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try Checker.check(try Parser.parse(path: "A.op", source: source), family: "test")
        XCTFail("expected a check error", file: file, line: line)
        return ""
    } catch let e as SpecError {
        XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        return e.description
    } catch {
        XCTFail("unexpected \(error)", file: file, line: line)
        return ""
    }
}
