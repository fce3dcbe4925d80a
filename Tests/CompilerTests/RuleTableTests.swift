import Compiler
import SpecLang
import XCTest
@testable import Compiler

/// The rule table: every spec identity becomes a rule or is reported unusable with a reason.
final class RuleTableTests: XCTestCase {
    func testEverySpecIdentityIsARuleOrReportedWithAReason() {
        let table = RuleTable.derive(from: specLibrary)
        let identities = specLibrary.operators.flatMap { spec in spec.file.identities.map { "\(spec.name).\($0.name)" } }
        XCTAssertGreaterThan(identities.count, 20)
        let ruleNames = Set(table.rules.filter { if case .spec = $0.origin { return true } else { return false } }.map(\.name))
        let unusableNames = Set(table.unusable.map(\.name))
        XCTAssertEqual(ruleNames.union(unusableNames), Set(identities))
        XCTAssertTrue(ruleNames.isDisjoint(with: unusableNames))
        for u in table.unusable { XCTAssertFalse(u.reason.isEmpty, u.name) }
        // Commutativity and argument swaps are equations, not simplifications.
        for name in ["Add.commutative", "Mul.commutative", "Less.swap", "Greater.swap"] {
            XCTAssertTrue(table.unusable.contains { $0.name == name && $0.reason.contains("not smaller") }, name)
        }
        for name in ["Neg.double_neg", "Not.double_not", "Relu.idempotent", "Max.idempotent", "Clip.idempotent",
                     "Identity.identity", "Transpose.inverse", "Unsqueeze.squeeze_back", "Reshape.chain"] {
            XCTAssertTrue(ruleNames.contains(name), name)
        }
        print("rule table: \(table.rules.count) rules; unusable identities:\n"
              + table.unusable.map { "  \($0)" }.joined(separator: "\n"))
    }

    func testEveryBuiltinRuleParsesAndIsUsable() {
        let table = RuleTable.derive(from: specLibrary)
        let builtins = table.rules.filter { $0.origin == .builtin }
        XCTAssertEqual(builtins.count, BuiltinRules.entries.count, table.unusable.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(builtins.allSatisfy { $0.category == .layout })
        XCTAssertEqual(Set(table.rules.map(\.name)).count, table.rules.count)
        XCTAssertEqual(table.rules.first { $0.name == "Neg.double_neg" }?.category, .algebraic)
        XCTAssertEqual(table.rules.first { $0.name == "Transpose.inverse" }?.category, .layout)
    }

    func testRuleChecksGiveReasons() throws {
        func reason(_ line: String) throws -> String? {
            let file = try Parser.parse(path: "<test>", source: "op T\nidentity \(line)\n")
            let i = file.identities[0]
            return RuleCheck.problem(i.lhs, i.rhs, [], specLibrary)
        }
        XCTAssertNil(try reason("r: Neg(Neg(X)) == X"))
        XCTAssertEqual(try reason("r: X == Neg(Neg(X))"), "the left side is a bare variable: it would match every value")
        XCTAssertEqual(try reason("r: Neg(X) == Y"), "the right side uses Y, which the left side does not bind")
        XCTAssertEqual(try reason("r: Nope(X) == X"), "unknown operator 'Nope'")
        XCTAssertEqual(try reason("r: Neg(X, Y) == X"), "Neg takes 1 inputs, the term gives 2")
        XCTAssertEqual(try reason("r: Neg(X, bad = 1) == X"), "Neg has no attribute 'bad'")
        XCTAssertEqual(try reason("r: Transpose(Transpose(X)) == Transpose(X, perm = q)"), "'q' in 'q' is not bound by the left side")
        XCTAssertNotNil(try reason("r: MaxPoolWithIndices(X) == X"))
    }
}
