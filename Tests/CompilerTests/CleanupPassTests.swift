import Compiler
import ModelIR
import XCTest

/// Dead code elimination and common subexpression elimination, each as model text before and after.
final class CleanupPassTests: XCTestCase {
    func testDeadCodeEliminationRemovesUnreachableNodesAndUnusedWeights() throws {
        try assertPass(DeadCodeElimination.pass, """
            graphsmith-model 1
            input x: f32[2]
            input unused: f32[2]
            weight w: f32[2] = 3f800000 40000000
            weight dead: f32[2] = 3f800000 3f800000
            weight never: f32[2] = 40400000 40400000
            node a: f32[2] = Add(x, w)
            node b: f32[2] = Mul(x, dead)
            node c: f32[2] = Relu(b)
            node y: f32[2] = Neg(a)
            output y
            output a
            """, """
            graphsmith-model 1
            input x: f32[2]
            input unused: f32[2]
            weight w: f32[2] = 3f800000 40000000
            node a: f32[2] = Add(x, w)
            node y: f32[2] = Neg(a)
            output y
            output a
            """)
    }

    func testDeadCodeEliminationKeepsAnOutputThatIsAWeight() throws {
        let text = """
            graphsmith-model 1
            input x: f32[2]
            weight w: f32[2] = 3f800000 40000000
            node y: f32[2] = Neg(x)
            output y
            output w
            """
        try assertPass(DeadCodeElimination.pass, text, text)
    }

    func testCSEMergesSameOpInputsAndAttributesIncludingDefaults() throws {
        // w2 equals w1, so b becomes Add(x, w1), a duplicate of a; Softmax's default axis is -1, so s2 = s1;
        // s3 has another axis (the same axis for this rank, but CSE compares attributes, not meanings).
        try assertPass(CommonSubexpressionElimination.pass, """
            graphsmith-model 1
            input x: f32[2, 3]
            weight w1: f32[3] = 3f800000 40000000 40400000
            weight w2: f32[3] = 3f800000 40000000 40400000
            node a: f32[2, 3] = Add(x, w1)
            node b: f32[2, 3] = Add(x, w2)
            node s1: f32[2, 3] = Softmax(a)
            node s2: f32[2, 3] = Softmax(b) {axis = -1}
            node s3: f32[2, 3] = Softmax(b) {axis = 1}
            node y: f32[2, 3] = Add(s2, s3)
            output s1
            output y
            """, """
            graphsmith-model 1
            input x: f32[2, 3]
            weight w1: f32[3] = 3f800000 40000000 40400000
            node a: f32[2, 3] = Add(x, w1)
            node s1: f32[2, 3] = Softmax(a)
            node s3: f32[2, 3] = Softmax(a) {axis = 1}
            node y: f32[2, 3] = Add(s1, s3)
            output s1
            output y
            """)
    }

    func testCSEKeepsNodesWhoseRealAttributesDifferInTheLastBit() throws {
        // 0.25 and the next double above it: merging them would change results.
        let text = """
            graphsmith-model 1
            input x: f32[4]
            node a: f32[4] = LeakyRelu(x) {alpha = 0.25}
            node b: f32[4] = LeakyRelu(x) {alpha = 0.25000000000000006}
            node c: f32[4] = LeakyRelu(x) {alpha = -0.0}
            node d: f32[4] = LeakyRelu(x) {alpha = 0.0}
            output a
            output b
            output c
            output d
            """
        try assertPass(CommonSubexpressionElimination.pass, text, text)
    }

    func testCSEOfDuplicateOutputsAliasesTheModelOutputs() throws {
        try assertPass(CommonSubexpressionElimination.pass, """
            graphsmith-model 1
            input x: i32[3]
            node a: i32[3] = Neg(x)
            node b: i32[3] = Neg(x)
            output a
            output b
            """, """
            graphsmith-model 1
            input x: i32[3]
            node a: i32[3] = Neg(x)
            output a
            output a
            """)
    }
}
