import ModelIR
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// `auto_pad` SAME_UPPER, SAME_LOWER and VALID import as the explicit pads they stand for; export writes NOTSET.
final class AutoPadImportTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    typealias N = HandMadeModel.NodeSpec

    /// MaxPool over [1, 1, 5, 6] with kernel [2, 4], strides [1, 2].
    func pool(_ op: String, _ autoPad: String, pads: [Int]? = nil, out: [Int] = [1, 1, 5, 3]) -> HandMadeModel {
        var values: [(String, Value)] = [("kernel_shape", .vector([2, 4])), ("strides", .vector([1, 2])), ("auto_pad", .name(autoPad))]
        if let pads { values.append(("pads", .vector(pads))) }
        return HandMadeModel(opset: 19, inputs: [("x", TensorType(.f32, [1, 1, 5, 6]))],
                             nodes: [N(op: op, inputs: ["x"], outputs: ["y"], values: values)], outputs: [("y", TensorType(.f32, out))])
    }

    func importedPads(_ hand: HandMadeModel) throws -> (pads: AttributeValue?, shape: [Int]) {
        let model = try Importer.decode(hand.bytes(), library: library)
        XCTAssertEqual(model.nodes.count, 1)
        return (model.nodes[0].attributes["pads"], model.nodes[0].outputs[0].type.shape)
    }

    func testSameUpperAndLowerPutAnOddTotalsExtraAtTheEndOrTheBeginning() throws {
        // Axis 0: in 5, stride 1, kernel 2: out 5, total (5-1)*1 + 2 - 5 = 1 (odd).
        // Axis 1: in 6, stride 2, kernel 4: out 3, total (3-1)*2 + 4 - 6 = 2.
        for op in ["MaxPool", "AveragePool"] {
            let upper = try importedPads(pool(op, "SAME_UPPER"))
            XCTAssertEqual(upper.pads, .ints([0, 1, 1, 1]), op)
            XCTAssertEqual(upper.shape, [1, 1, 5, 3], op)
            let lower = try importedPads(pool(op, "SAME_LOWER"))
            XCTAssertEqual(lower.pads, .ints([1, 1, 0, 1]), op)
            XCTAssertEqual(lower.shape, [1, 1, 5, 3], op)
            // VALID: no padding, out = (5-2)/1+1 = 4 and (6-4)/2+1 = 2.
            let valid = try importedPads(pool(op, "VALID", out: [1, 1, 4, 2]))
            XCTAssertEqual(valid.pads, .ints([0, 0, 0, 0]), op)
            XCTAssertEqual(valid.shape, [1, 1, 4, 2], op)
        }
    }

    func testConvTakesItsKernelFromTheWeightAndDilations() throws {
        // Kernel [2, 2] with dilations [2, 1] over [4, 5]: extents 3 and 2; totals 3 + 3 - 4 = 2 and 4 + 2 - 5 = 1.
        let w = Tensor(dtype: .f32, shape: [1, 1, 2, 2], doubles: [1, 2, 3, 4])
        let b = Tensor(dtype: .f32, shape: [1], doubles: [0])
        func conv(_ mode: String) -> HandMadeModel {
            HandMadeModel(inputs: [("x", TensorType(.f32, [1, 1, 4, 5]))], initializers: [("w", w), ("b", b)],
                          nodes: [N(op: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
                                    values: [("dilations", .vector([2, 1])), ("auto_pad", .name(mode))])],
                          outputs: [("y", TensorType(.f32, [1, 1, 4, 5]))])
        }
        XCTAssertEqual(try importedPads(conv("SAME_UPPER")).pads, .ints([1, 0, 1, 1]))
        XCTAssertEqual(try importedPads(conv("SAME_LOWER")).pads, .ints([1, 1, 1, 0]))
        XCTAssertEqual(try importedPads(conv("SAME_LOWER")).shape, [1, 1, 4, 5])
    }

    func testTheImportedModelExportsWithExplicitPads() throws {
        let model = try Importer.decode(pool("MaxPool", "SAME_LOWER").bytes(), library: library)
        let back = try Importer.decode(Exporter.export(model, library: library), library: library)
        XCTAssertEqual(back, model)
    }

    func testAutoPadWithNonzeroPadsIsRefused() throws {
        XCTAssertThrowsError(try Importer.decode(pool("MaxPool", "SAME_UPPER", pads: [0, 1, 1, 1]).bytes(), library: library)) { error in
            let message = (error as? OnnxError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("auto_pad = SAME_UPPER with explicit pads"), message)
        }
        XCTAssertNoThrow(try Importer.decode(pool("MaxPool", "SAME_UPPER", pads: [0, 0, 0, 0]).bytes(), library: library))
    }

    func testTheFormulaAgainstHandCountedCases() {
        // in 7, kernel 3, stride 2: out 4, total 3*2 + 3 - 7 = 2.
        XCTAssertEqual(AutoPad.samePadding(input: 7, kernel: 3, stride: 2, dilation: 1), 2)
        // in 8, kernel 3, stride 2: out 4, total 3*2 + 3 - 8 = 1.
        XCTAssertEqual(AutoPad.samePadding(input: 8, kernel: 3, stride: 2, dilation: 1), 1)
        // in 8, kernel 1, stride 3: out 3, total 2*3 + 1 - 8 < 0, so 0.
        XCTAssertEqual(AutoPad.samePadding(input: 8, kernel: 1, stride: 3, dilation: 1), 0)
        XCTAssertEqual(AutoPad.sameUpper.pads(input: [8], kernel: [3], strides: [2], dilations: [1]), [0, 1])
        XCTAssertEqual(AutoPad.sameLower.pads(input: [8], kernel: [3], strides: [2], dilations: [1]), [1, 0])
    }
}
