import Compiler
import ModelIR
import XCTest

/// Constant folding as model text before and after (weights as f32/i32 bit patterns).
final class ConstantFoldingTests: XCTestCase {
    func testFoldsAChainOfNodesWhoseInputsAreWeights() throws {
        // s = [1, 2] + [2, 3] = [3, 5]; n = -s = [-3, -5]; y reads the input, so it stays.
        try assertPass(ConstantFolding.pass, """
            graphsmith-model 1
            input x: f32[2]
            weight w1: f32[2] = 3f800000 40000000
            weight w2: f32[2] = 40000000 40400000
            node s: f32[2] = Add(w1, w2)
            node n: f32[2] = Neg(s)
            node y: f32[2] = Mul(x, n)
            output y
            """, """
            graphsmith-model 1
            input x: f32[2]
            weight w1: f32[2] = 3f800000 40000000
            weight w2: f32[2] = 40000000 40400000
            weight s: f32[2] = 40400000 40a00000
            weight n: f32[2] = c0400000 c0a00000
            node y: f32[2] = Mul(x, n)
            output y
            """)
    }

    func testIntegerDivisionFoldsTowardZero() throws {
        // [7, -7, 9, -9] / [2, 2, -4, -4] truncates: [3, -3, -2, 2].
        try assertPass(ConstantFolding.pass, """
            graphsmith-model 1
            weight a: i32[4] = 00000007 fffffff9 00000009 fffffff7
            weight b: i32[4] = 00000002 00000002 fffffffc fffffffc
            node q: i32[4] = Div(a, b)
            output q
            """, """
            graphsmith-model 1
            weight a: i32[4] = 00000007 fffffff9 00000009 fffffff7
            weight b: i32[4] = 00000002 00000002 fffffffc fffffffc
            weight q: i32[4] = 00000003 fffffffd fffffffe 00000002
            output q
            """)
    }

    func testRespectsTheSizeLimitAndLeavesFailingNodes() throws {
        let big = """
            graphsmith-model 1
            weight a: f32[3] = 3f800000 40000000 40400000
            node n: f32[3] = Neg(a)
            output n
            """
        var ctx = context()
        ctx.foldElementLimit = 2
        try assertPass(ConstantFolding.pass, big, big, context: ctx)
        // Division by zero in integers is an evaluation error: the node stays, and fails at run time as before.
        let failing = """
            graphsmith-model 1
            weight a: i32[1] = 00000001
            weight b: i32[1] = 00000000
            node q: i32[1] = Div(a, b)
            output q
            """
        try assertPass(ConstantFolding.pass, failing, failing)
    }
}
