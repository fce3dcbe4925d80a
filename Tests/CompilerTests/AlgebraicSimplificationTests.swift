import Compiler
import ModelIR
import XCTest

/// Algebraic simplification by spec identities, as model text before and after.
final class AlgebraicSimplificationTests: XCTestCase {
    static let chain = """
        graphsmith-model 1
        input x: f32[2, 3]
        node a: f32[2, 3] = Neg(x)
        node b: f32[2, 3] = Neg(a)
        node c: f32[2, 3] = Relu(b)
        node d: f32[2, 3] = Relu(c)
        node e: f32[2, 3] = Max(d, d)
        output e
        """

    func testDoubleNegationIdempotenceAndMaxOfItself() throws {
        // Neg(Neg(x)) is x; Relu(Relu(c')) is the inner Relu; Max(d, d) is d. The dead inner Neg stays:
        // removing it is dead code elimination's job.
        try assertPass(AlgebraicSimplification.pass, Self.chain, """
            graphsmith-model 1
            input x: f32[2, 3]
            node a: f32[2, 3] = Neg(x)
            node c: f32[2, 3] = Relu(x)
            output c
            """)
    }

    func testADisabledRuleDoesNotFire() throws {
        try assertPass(AlgebraicSimplification.pass, Self.chain, """
            graphsmith-model 1
            input x: f32[2, 3]
            node a: f32[2, 3] = Neg(x)
            node b: f32[2, 3] = Neg(a)
            node c: f32[2, 3] = Relu(b)
            output c
            """, context: context(disabledRules: ["Neg.double_neg"]))
    }

    func testAttributesMustMatchAsTheIdentityBindsThem() throws {
        // Clip(Clip(X, a, b), a, b) is Clip(X, a, b) only with the same bounds: c2 folds, c4 does not.
        try assertPass(AlgebraicSimplification.pass, """
            graphsmith-model 1
            input x: f32[4]
            node c1: f32[4] = Clip(x) {max = 1.0, min = -1.0}
            node c2: f32[4] = Clip(c1) {max = 1.0, min = -1.0}
            node c3: f32[4] = Clip(c2) {max = 2.0, min = -1.0}
            node c4: f32[4] = Clip(c3) {max = 1.0, min = -1.0}
            output c4
            """, """
            graphsmith-model 1
            input x: f32[4]
            node c1: f32[4] = Clip(x) {max = 1.0, min = -1.0}
            node c3: f32[4] = Clip(c1) {max = 2.0, min = -1.0}
            node c4: f32[4] = Clip(c3) {max = 1.0, min = -1.0}
            output c4
            """)
    }

    func testIdentityOfAnInputAndTheModelOutputAlias() throws {
        // The model output becomes the input itself; the interface (input, output types) is unchanged.
        try assertPass(AlgebraicSimplification.pass, """
            graphsmith-model 1
            input x: bool[3]
            node i: bool[3] = Identity(x)
            node n: bool[3] = Not(i)
            node m: bool[3] = Not(n)
            output m
            """, """
            graphsmith-model 1
            input x: bool[3]
            node n: bool[3] = Not(x)
            output x
            """)
    }

    func testEquationsThatAreNotSimplificationsDoNotFire() throws {
        // Add(A, B) == Add(B, A) and Less(A, B) == Greater(B, A) are identities, not simplifications.
        let text = """
            graphsmith-model 1
            input x: f32[2]
            input y: f32[2]
            node a: f32[2] = Add(x, y)
            node l: bool[2] = Less(x, y)
            output a
            output l
            """
        try assertPass(AlgebraicSimplification.pass, text, text)
    }
}
