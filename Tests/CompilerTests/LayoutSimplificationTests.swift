import Compiler
import ModelIR
import XCTest

/// Transpose, reshape, squeeze and unsqueeze chains, as model text before and after.
final class LayoutSimplificationTests: XCTestCase {
    func testInverseTransposesCancel() throws {
        // inverse([1, 2, 0]) = [2, 0, 1] (spec identity Transpose.inverse).
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node t: f32[3, 4, 2] = Transpose(x) {perm = [1, 2, 0]}
            node u: f32[2, 3, 4] = Transpose(t) {perm = [2, 0, 1]}
            node y: f32[2, 3, 4] = Relu(u)
            output y
            """, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node t: f32[3, 4, 2] = Transpose(x) {perm = [1, 2, 0]}
            node y: f32[2, 3, 4] = Relu(x)
            output y
            """)
    }

    func testTransposesComposeIntoOne() throws {
        // u's axis k is t's axis q[k], which is x's axis p[q[k]]: [p[2], p[1], p[0]] = [2, 0, 1].
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node t: f32[3, 2, 4] = Transpose(x) {perm = [1, 0, 2]}
            node u: f32[4, 2, 3] = Transpose(t) {perm = [2, 1, 0]}
            output u
            """, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node t: f32[3, 2, 4] = Transpose(x) {perm = [1, 0, 2]}
            node u: f32[4, 2, 3] = Transpose(x) {perm = [2, 0, 1]}
            output u
            """)
    }

    func testIdentityTransposeDisappears() throws {
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: i8[2, 3]
            node t: i8[2, 3] = Transpose(x) {perm = [0, 1]}
            node y: i8[2, 3] = Abs(t)
            output y
            """, """
            graphsmith-model 1
            input x: i8[2, 3]
            node y: i8[2, 3] = Abs(x)
            output y
            """)
    }

    func testReshapeChainBecomesOneReshapeToTheFinalShape() throws {
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node r1: f32[6, 4] = Reshape(x) {n = 2, shape = [6, -1]}
            node r2: f32[4, 6] = Reshape(r1) {n = 2, shape = [-1, 6]}
            output r2
            """, """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node r1: f32[6, 4] = Reshape(x) {n = 2, shape = [6, -1]}
            node r2: f32[4, 6] = Reshape(x) {allowzero = 1, n = 2, shape = [4, 6]}
            output r2
            """)
    }

    func testSqueezeOfUnsqueezeOfTheSameAxesDisappears() throws {
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: f32[3, 4]
            node u: f32[3, 1, 4] = Unsqueeze(x) {axes = [1], n = 1}
            node s: f32[3, 4] = Squeeze(u) {axes = [1]}
            node y: f32[3, 4] = Relu(s)
            output y
            """, """
            graphsmith-model 1
            input x: f32[3, 4]
            node u: f32[3, 1, 4] = Unsqueeze(x) {axes = [1], n = 1}
            node y: f32[3, 4] = Relu(x)
            output y
            """)
    }

    func testSqueezeOfUnsqueezeOfOtherAxesIsOneReshape() throws {
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: f32[3, 4]
            node u: f32[1, 3, 4, 1] = Unsqueeze(x) {axes = [0, 3], n = 2}
            node s: f32[1, 3, 4] = Squeeze(u) {axes = [3]}
            output s
            """, """
            graphsmith-model 1
            input x: f32[3, 4]
            node u: f32[1, 3, 4, 1] = Unsqueeze(x) {axes = [0, 3], n = 2}
            node s: f32[1, 3, 4] = Reshape(x) {allowzero = 1, n = 3, shape = [1, 3, 4]}
            output s
            """)
    }

    func testFlattenThenReshapeBackIsNothing() throws {
        // Reshape(Flatten(x)) merges into Reshape(x) to x's own shape, which Reshape.noop removes.
        try assertPass(LayoutSimplification.pass, """
            graphsmith-model 1
            input x: u8[2, 3, 4]
            node f: u8[2, 12] = Flatten(x) {axis = 1}
            node r: u8[2, 3, 4] = Reshape(f) {n = 3, shape = [2, 3, 4]}
            node y: u8[2, 3, 4] = Abs(r)
            output y
            """, """
            graphsmith-model 1
            input x: u8[2, 3, 4]
            node f: u8[2, 12] = Flatten(x) {axis = 1}
            node y: u8[2, 3, 4] = Abs(x)
            output y
            """)
    }

    func testDisablingTheBuiltinRuleKeepsTheChain() throws {
        let text = """
            graphsmith-model 1
            input x: f32[2, 3, 4]
            node t: f32[3, 2, 4] = Transpose(x) {perm = [1, 0, 2]}
            node u: f32[4, 2, 3] = Transpose(t) {perm = [2, 1, 0]}
            output u
            """
        try assertPass(LayoutSimplification.pass, text, text, context: context(disabledRules: ["Transpose.compose"]))
    }
}
