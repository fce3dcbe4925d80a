import Compiler
import Foundation
import Generator
import LoopIR
import ModelIR
import XCTest

/// Compiler feedback: the passes that changed a model, the rules that fired, the lowering paths, loop passes and
/// fused groups of one compile and lowering, and nothing that did not happen.
final class CompilerFeedbackTests: XCTestCase {
    func feedback(_ text: String, _ level: OptimizationLevel, disabledRules: Set<String> = []) throws -> Set<String> {
        let log = FeedbackLog()
        var ctx = context(level, disabledRules: disabledRules)
        ctx.feedback = log
        let compiled = try Pipeline.standard.compile(try model(text), context: ctx)
        _ = try LoweredModel(compiled.typed, groups: compiled.kernelGroups, options: ctx.lowering)
        return log.drain()
    }

    func testTheRulesAndPassesThatFiredAreRecorded() throws {
        let got = try feedback(AlgebraicSimplificationTests.chain, .O2)
        XCTAssertTrue(got.isSuperset(of: ["rule:Neg.double_neg", "rule:Max.idempotent", "pass:algebraic-simplification",
                                          "pass:dead-code-elimination"]), "\(got.sorted())")
        // Nothing to transpose, fold or merge; fusion is O3.
        XCTAssertFalse(got.contains { $0.hasPrefix("rule:Transpose") })
        XCTAssertFalse(got.contains("pass:constant-folding"))
        XCTAssertFalse(got.contains("pass:operator-fusion"))
        let without = try feedback(AlgebraicSimplificationTests.chain, .O2, disabledRules: ["Neg.double_neg"])
        XCTAssertFalse(without.contains("rule:Neg.double_neg"))
    }

    func testLoopPassesPathsAndGroupsAreRecordedWhenTheyApply() throws {
        let wide = """
            graphsmith-model 1
            input x: f32[3, 20]
            input y: f32[1, 20]
            node a: f32[3, 20] = Add(x, y)
            node b: f32[3, 20] = Relu(a)
            output b
            """
        let o3 = try feedback(wide, .O3)
        XCTAssertTrue(o3.isSuperset(of: ["path:lower-broadcast-read", "loop:loop-vectorize", "group:Add+Relu:f32", "pass:operator-fusion"]),
                      "\(o3.sorted())")
        let o2 = try feedback(wide, .O2)
        XCTAssertTrue(o2.isSuperset(of: ["loop:loop-tile", "loop:loop-unroll"]), "\(o2.sorted())")
        XCTAssertFalse(o2.contains { $0.hasPrefix("group:") || $0 == "loop:loop-vectorize" }, "\(o2.sorted())")
        // Extents of 2 are too short to tile, unroll or vectorize.
        let narrow = try feedback("""
            graphsmith-model 1
            input x: f32[2]
            node a: f32[2] = Neg(x)
            output a
            """, .O3)
        XCTAssertTrue(narrow.isDisjoint(with: ["loop:loop-tile", "loop:loop-unroll", "loop:loop-vectorize", "path:lower-broadcast-read"]),
                      "\(narrow.sorted())")
    }

    func testCoverageWrittenBeforeFeedbackStillReads() throws {
        let old = #"{"models": 2, "operators": {"Add": 2}, "pairs": {}, "attributeBins": {}}"#
        let c = try JSONDecoder().decode(Coverage.self, from: Data(old.utf8))
        XCTAssertEqual(c.models, 2)
        XCTAssertEqual(c.compiler, [:])
        var merged = c
        var other = Coverage()
        other.compiler = ["rule:Neg.double_neg": 1]
        merged.merge(other)
        merged.merge(other)
        XCTAssertEqual(merged.compiler["rule:Neg.double_neg"], 2)
    }
}
