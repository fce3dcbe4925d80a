import ModelIR
import Reference
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// Import folds what exporters compute from static shapes and constants (`Constant`, `Shape`, `Size`,
/// `ConstantOfShape`, `Range`, nodes of constants) into constants, and refuses what depends on run time.
final class ImportFoldingTests: XCTestCase {
    /// The repository's specs without any for the shape operators, so these tests check `ShapeFolding`'s own
    /// evaluation whatever specs exist (with a spec, import reads the operator by it: see the last test).
    var library: SpecLibrary!
    override func setUpWithError() throws {
        let all = try SpecLibrary.load(directory: repositorySpecs)
        library = SpecLibrary(all.operators.filter { !ShapeFolding.opTypes.contains($0.file.onnx?.opType ?? "") })
    }

    typealias N = HandMadeModel.NodeSpec

    func i64(_ xs: [Int64], shape: [Int]? = nil) -> Tensor { Tensor(dtype: .i64, shape: shape ?? [xs.count], ints: xs) }

    /// torch.onnx.export's `x.view(x.size(0), -1)`: Shape, Gather, Unsqueeze, Concat, Reshape.
    func viewModel(_ x: TensorType) -> HandMadeModel {
        HandMadeModel(opset: 19, inputs: [("x", x)], nodes: [
            N(op: "Shape", inputs: ["x"], outputs: ["s"]),
            N(op: "Constant", inputs: [], outputs: ["zero"], values: [("value_int", .int(0))]),
            N(op: "Gather", inputs: ["s", "zero"], outputs: ["d0"], ints: [("axis", 0)]),
            N(op: "Constant", inputs: [], outputs: ["axes"], values: [("value_ints", .vector([0]))]),
            N(op: "Unsqueeze", inputs: ["d0", "axes"], outputs: ["d0v"]),
            N(op: "Constant", inputs: [], outputs: ["rest"], values: [("value_ints", .vector([-1]))]),
            N(op: "Concat", inputs: ["d0v", "rest"], outputs: ["shape"], ints: [("axis", 0)]),
            N(op: "Reshape", inputs: ["x", "shape"], outputs: ["y"]),
        ], outputs: [("y", TensorType(.f32, [x.shape[0], x.count / x.shape[0]]))])
    }

    func testShapeArithmeticFoldsIntoOneReshape() throws {
        let x = TensorType(.f32, [2, 3, 4])
        let model = try Importer.decode(viewModel(x).bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Reshape"])
        XCTAssertEqual(model.weights.map(\.name), [], "the folded shape became an attribute, not a weight")
        XCTAssertEqual(model.nodes[0].attributes["shape"], .ints([2, -1]))
        XCTAssertEqual(model.nodes[0].attributes["n"], .int(2))
        // The values are x's, in the same order, as [2, 12].
        let input = Tensor(dtype: .f32, shape: [2, 3, 4], doubles: (0..<24).map(Double.init))
        let out = try Interpreter.outputs(model, library: library, inputs: [model.inputs[0].name: input])
        XCTAssertEqual(out, [Tensor(dtype: .f32, shape: [2, 12], doubles: (0..<24).map(Double.init))])
    }

    func testShapeStartAndEndAndSize() throws {
        let x = TensorType(.f32, [2, 3, 4, 5])
        let model = try Importer.decode(HandMadeModel(opset: 15, inputs: [("x", x)], nodes: [
            N(op: "Shape", inputs: ["x"], outputs: ["mid"], ints: [("start", 1), ("end", -1)]),
            N(op: "Shape", inputs: ["x"], outputs: ["all"], ints: [("start", -10)]),
            N(op: "Shape", inputs: ["x"], outputs: ["none"], ints: [("start", 3), ("end", 1)]),
            N(op: "Size", inputs: ["x"], outputs: ["size"]),
        ], outputs: [("mid", TensorType(.i64, [2])), ("all", TensorType(.i64, [4])), ("none", TensorType(.i64, [0])),
                     ("size", TensorType(.i64, []))]).bytes(), library: library)
        XCTAssertEqual(model.nodes.count, 0)
        let weights = Dictionary(uniqueKeysWithValues: model.weights.map { ($0.name, $0.value) })
        XCTAssertEqual(weights["mid"], i64([3, 4]))
        XCTAssertEqual(weights["all"], i64([2, 3, 4, 5]))
        XCTAssertEqual(weights["none"], i64([]))
        XCTAssertEqual(weights["size"], i64([120], shape: []))
    }

    func testConstantOfShapeAndRangeValues() throws {
        let seven = Tensor(dtype: .i32, shape: [1], ints: [7])
        let scalar = { (d: DType, v: Double) in Tensor(dtype: d, shape: [], doubles: [v]) }
        let model = try Importer.decode(HandMadeModel(inputs: [], initializers: [
            ("dims", i64([2, 3])), ("a", scalar(.i64, 1)), ("b", scalar(.i64, 10)), ("c", scalar(.i64, 3)),
            ("hi", scalar(.i64, 5)), ("lo", scalar(.i64, 0)), ("down", scalar(.i64, -2)),
            ("fa", scalar(.f32, 0.5)), ("fb", scalar(.f32, 2)), ("fc", scalar(.f32, 0.5)),
        ], nodes: [
            N(op: "ConstantOfShape", inputs: ["dims"], outputs: ["sevens"], tensors: [("value", seven)]),
            N(op: "ConstantOfShape", inputs: ["dims"], outputs: ["zeros"]),
            N(op: "Range", inputs: ["a", "b", "c"], outputs: ["up"]),
            N(op: "Range", inputs: ["hi", "lo", "down"], outputs: ["downward"]),
            N(op: "Range", inputs: ["lo", "hi", "down"], outputs: ["empty"]),
            N(op: "Range", inputs: ["fa", "fb", "fc"], outputs: ["halves"]),
        ], outputs: [("sevens", TensorType(.i32, [2, 3])), ("zeros", TensorType(.f32, [2, 3])), ("up", TensorType(.i64, [3])),
                     ("downward", TensorType(.i64, [3])), ("empty", TensorType(.i64, [0])), ("halves", TensorType(.f32, [3]))]).bytes(),
            library: library)
        let weights = Dictionary(uniqueKeysWithValues: model.weights.map { ($0.name, $0.value) })
        XCTAssertEqual(weights["sevens"], Tensor(dtype: .i32, shape: [2, 3], ints: Array(repeating: 7, count: 6)))
        XCTAssertEqual(weights["zeros"], Tensor(dtype: .f32, shape: [2, 3], doubles: Array(repeating: 0, count: 6)))
        XCTAssertEqual(weights["up"], i64([1, 4, 7]))
        XCTAssertEqual(weights["downward"], i64([5, 3, 1]))
        XCTAssertEqual(weights["empty"], i64([]))
        XCTAssertEqual(weights["halves"], Tensor(dtype: .f32, shape: [3], doubles: [0.5, 1, 1.5]))
        XCTAssertEqual(Set(model.weights.map(\.name)), ["sevens", "zeros", "up", "downward", "empty", "halves"], "unused inputs vanish")
    }

    /// A node with a spec whose inputs are constants is computed by the reference and becomes a weight; one reading
    /// a runtime value stays a node, reading that weight.
    func testNodesOfConstantsBecomeWeightsAndOthersReadThem() throws {
        let x = TensorType(.i64, [3])
        let model = try Importer.decode(HandMadeModel(inputs: [("x", x)], initializers: [("c", i64([10, 20, 30]))], nodes: [
            N(op: "Shape", inputs: ["x"], outputs: ["s"]),
            N(op: "Mul", inputs: ["s", "c"], outputs: ["k"]),
            N(op: "Neg", inputs: ["k"], outputs: ["nk"]),
            N(op: "Add", inputs: ["x", "nk"], outputs: ["y"]),
        ], outputs: [("y", x)]).bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Add"])
        XCTAssertEqual(model.weights.map(\.value), [i64([-30, -60, -90])])  // -(3 * [10, 20, 30])
        XCTAssertEqual(model.nodes[0].inputs, [model.inputs[0].name, model.weights[0].name])
    }

    func testDynamicDimsAreRefusedNamingTheInput() throws {
        for (symbol, expected) in [("batch", "dim 0 is dynamic ('batch')"), (nil, "dim 0 is dynamic (no size given)")] as [(String?, String)] {
            var hand = viewModel(TensorType(.f32, [2, 3, 4]))
            hand.dynamicDims = [(0, 0, symbol)]
            do {
                _ = try Importer.decode(hand.bytes(), library: library)
                XCTFail("a dynamic dim imported")
            } catch let e as OnnxError {
                XCTAssertEqual(e.message, "graph input 'x': \(expected); graphsmith needs static shapes")
            }
        }
    }

    func testAShapeComputedAtRunTimeIsRefusedNamingTheNode() throws {
        let x = TensorType(.f32, [2, 3])
        let hand = HandMadeModel(opset: 19, inputs: [("x", x), ("t", TensorType(.i64, [2]))], initializers: [("c", i64([1, 1]))], nodes: [
            N(op: "Add", inputs: ["t", "c"], outputs: ["shape"]),
            N(op: "Reshape", inputs: ["x", "shape"], outputs: ["y"]),
        ], outputs: [("y", TensorType(.f32, [3, 2]))])
        do {
            _ = try Importer.decode(hand.bytes(), library: library)
            XCTFail("a run-time shape imported")
        } catch let e as OnnxError {
            XCTAssertTrue(e.message.hasPrefix("node 1 '' (Reshape): "), e.message)
            XCTAssertTrue(e.message.contains("input 1 must be a constant"), e.message)
            XCTAssertTrue(e.message.contains("computed at run time by node 0 '' (Add)"), e.message)
            XCTAssertFalse(e.message.contains("\n"))
        }
    }

    func testRangeOfARunTimeValueIsRefusedNamingTheNode() throws {
        let hand = HandMadeModel(inputs: [("n", TensorType(.i64, []))], initializers: [("zero", i64([0], shape: [])), ("one", i64([1], shape: []))],
                                 nodes: [N(op: "Range", inputs: ["zero", "n", "one"], outputs: ["r"])], outputs: [("r", TensorType(.i64, [3]))])
        XCTAssertThrowsError(try Importer.decode(hand.bytes(), library: library)) { error in
            let message = (error as? OnnxError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("node 0 '' (Range): input 1 must be a constant"), message)
            XCTAssertTrue(message.contains("graph input 'n'"), message)
        }
    }

    /// With a spec for Shape, import reads Shape by it (the spec, not `ShapeFolding`, gives the value); the node
    /// stays while something reads it at run time and goes when its value was only used as a constant.
    func testASpecForAShapeOperatorIsPreferredAndItsNodeGoesWhenUnused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fold-shape-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A deliberately wrong Shape (every dim plus 100) shows whose value import used.
        let text = """
            op Shape
            onnx Shape opset 15 same 15..
            types T in any
            input   X: T[*S]
            output  Y: i64[rank(X)]
            compute Y[i] = S[i] + 100
            """
        let path = folder.appendingPathComponent("Shape.op").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let withShape = SpecLibrary(library.operators + [try SpecLibrary.loadFile(path, family: "test")])
        let x = TensorType(.f32, [2, 3])
        let alone = try Importer.decode(HandMadeModel(opset: 15, inputs: [("x", x)], nodes: [N(op: "Shape", inputs: ["x"], outputs: ["s"])],
                                                      outputs: [("s", TensorType(.i64, [2]))]).bytes(), library: withShape)
        XCTAssertEqual(alone.nodes.map(\.op), ["Shape"], "a graph output read at run time keeps its node")
        XCTAssertEqual(alone.weights.count, 0)
        // With ShapeFolding's value, [2, 3] - 100 would be no shape for x; with the spec's it is [2, 3].
        let reshaped = try Importer.decode(HandMadeModel(opset: 15, inputs: [("x", x)], initializers: [("c", i64([100, 100]))], nodes: [
            N(op: "Shape", inputs: ["x"], outputs: ["s"]),
            N(op: "Sub", inputs: ["s", "c"], outputs: ["shape"]),
            N(op: "Reshape", inputs: ["x", "shape"], outputs: ["y"]),
        ], outputs: [("y", x)]).bytes(), library: withShape)
        XCTAssertEqual(reshaped.nodes.map(\.op), ["Reshape"])
        XCTAssertEqual(reshaped.nodes[0].attributes["shape"], .ints([2, 3]))
        XCTAssertEqual(reshaped.weights.count, 0)
    }

    /// A scalar operand given as a one-element vector (Pad's constant_value as [1]) is read as the scalar.
    func testAOneElementVectorStandsForAScalarOperand() throws {
        let fill = Tensor(dtype: .f32, shape: [1], doubles: [-1.5])
        let model = try Importer.decode(HandMadeModel(opset: 19, inputs: [("x", TensorType(.f32, [2]))], initializers: [("pads", i64([1, 0]))], nodes: [
            N(op: "Constant", inputs: [], outputs: ["fill"], tensors: [("value", fill)]),
            N(op: "Pad", inputs: ["x", "pads", "fill"], outputs: ["y"]),
        ], outputs: [("y", TensorType(.f32, [3]))]).bytes(), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Pad"])
        XCTAssertEqual(model.nodes[0].attributes["constant_value"], .real(-1.5))
        XCTAssertEqual(model.nodes[0].attributes["pads"], .ints([1, 0]))
    }
}
