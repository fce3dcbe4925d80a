import Compiler
import ModelIR
import SpecLib
import XCTest

/// Fusion grouping: the pass's reordering as model text, and the groups it records.
final class OperatorFusionTests: XCTestCase {
    // e and the MatMul epilogue r fuse into s; s has two readers, so t and u stay alone; v is unrelated.
    static let before = """
        graphsmith-model 1
        input x: f32[2, 3]
        input z: f32[2, 4]
        weight w: f32[3, 4] = 3f800000 40000000 40400000 40800000 3f800000 40000000 40400000 40800000 3f800000 40000000 40400000 40800000
        node e: f32[2, 4] = Exp(z)
        node v: f32[2, 4] = Sigmoid(z)
        node m: f32[2, 4] = MatMul(x, w)
        node r: f32[2, 4] = Relu(m)
        node s: f32[2, 4] = Add(r, e)
        node t: f32[2, 4] = Neg(s)
        node u: f32[2, 4] = Sigmoid(s)
        output v
        output t
        output u
        """

    func testGroupsAreContiguousAfterThePass() throws {
        try assertPass(OperatorFusion.pass, Self.before, """
            graphsmith-model 1
            input x: f32[2, 3]
            input z: f32[2, 4]
            weight w: f32[3, 4] = 3f800000 40000000 40400000 40800000 3f800000 40000000 40400000 40800000 3f800000 40000000 40400000 40800000
            node v: f32[2, 4] = Sigmoid(z)
            node e: f32[2, 4] = Exp(z)
            node m: f32[2, 4] = MatMul(x, w)
            node r: f32[2, 4] = Relu(m)
            node s: f32[2, 4] = Add(r, e)
            node t: f32[2, 4] = Neg(s)
            node u: f32[2, 4] = Sigmoid(s)
            output v
            output t
            output u
            """)
        let compiled = try Pipeline([OperatorFusion.pass]).compile(try model(Self.before), context: context(.O3))
        XCTAssertEqual(compiled.fusion.groups.map(\.nodes), [[0], [1, 2, 3, 4], [5], [6]])
        XCTAssertNil(compiled.fusion.problem(in: compiled.model, library: specLibrary))
    }

    func testOnlySingleConsumerEdgesFuseAndAGroupHasOneReduction() throws {
        // a is read twice by b (no fusion across it); m1 and m2 are both reductions, so Add takes only m1;
        // k is also a model output, so it does not fuse into its reader.
        let m = try model("""
            graphsmith-model 1
            input x: f32[2, 2]
            node a: f32[2, 2] = Relu(x)
            node b: f32[2, 2] = Add(a, a)
            node m1: f32[2, 2] = MatMul(b, x)
            node m2: f32[2, 2] = MatMul(x, x)
            node s: f32[2, 2] = Add(m1, m2)
            node k: f32[2, 2] = Neg(s)
            node y: f32[2, 2] = Exp(k)
            output k
            output y
            """)
        let groups = FusionGroups.plan(try TypedModel(m, library: specLibrary))
        XCTAssertEqual(groups.groups.map(\.nodes), [[0], [1], [3], [2, 4, 5], [6]])
        XCTAssertNil(groups.problem(in: m, library: specLibrary))
    }

    func testTheCheckRejectsFusionAcrossAValueWithSeveralReaders() throws {
        let m = try model(Self.before)
        // s is read by t and u: putting s inside t's group breaks the rule.
        let bad = FusionGroups(groups: [.init(nodes: [0]), .init(nodes: [1]), .init(nodes: [2, 3]),
                                        .init(nodes: [4, 5]), .init(nodes: [6])])
        XCTAssertNotNil(bad.problem(in: m, library: specLibrary))
        let overlapping = FusionGroups(groups: [.init(nodes: [0, 1]), .init(nodes: [1, 2, 3, 4, 5, 6])])
        XCTAssertNotNil(overlapping.problem(in: m, library: specLibrary))
    }

    func testOpClassesComeFromTheSpecs() {
        XCTAssertEqual(OpClass.of(specLibrary.spec(named: "Add")!), .injective)
        XCTAssertEqual(OpClass.of(specLibrary.spec(named: "Transpose")!), .injective)
        XCTAssertEqual(OpClass.of(specLibrary.spec(named: "MatMul")!), .reduction)
        XCTAssertEqual(OpClass.of(specLibrary.spec(named: "Softmax")!), .reduction)
        XCTAssertEqual(OpClass.of(specLibrary.spec(named: "MaxPoolWithIndices")!), .opaque)
    }
}
