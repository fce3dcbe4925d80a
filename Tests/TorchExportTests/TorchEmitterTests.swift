import ModelIR
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import TorchExport

/// The torch module graphsmith writes: one line per node from the spec's `torch` line, weights as base64 buffers,
/// and model names only inside escaped string literals.
final class TorchEmitterTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func emit(_ model: Model) throws -> String { try TorchEmitter.source(model, library: library, prelude: "# prelude", title: "m") }

    func testForwardIsOneLinePerNode() throws {
        let w = Tensor(dtype: .f32, shape: [3, 1], doubles: [1, 1, 1])
        let model = Model(
            inputs: [ValueInfo("x", TensorType(.f32, [2, 3]))], weights: [Weight("w", w)],
            nodes: [Node(op: "MatMul", inputs: ["x", "w"], outputs: [ValueInfo("y", TensorType(.f32, [2, 1]))]),
                    Node(op: "Relu", inputs: ["y"], outputs: [ValueInfo("z", TensorType(.f32, [2, 1]))]),
                    Node(op: "Softmax", inputs: ["z"], outputs: [ValueInfo("s", TensorType(.f32, [2, 1]))], attributes: ["axis": .int(1)]),
                    Node(op: "Transpose", inputs: ["s"], outputs: [ValueInfo("u", TensorType(.f32, [1, 2]))], attributes: ["perm": .ints([1, 0])])],
            outputs: ["u", "z"])
        let text = try emit(model)
        let forward = text.components(separatedBy: "\n").drop { !$0.contains("def forward") }.prefix(6)
        XCTAssertEqual(Array(forward), [
            "    def forward(self, x0):",
            "        t0 = torch.matmul(x0, self.w0)  # MatMul",
            "        t1 = torch.relu(t0)  # Relu",
            "        t2 = torch.softmax(t1, dim=1)  # Softmax",
            "        t3 = t2.permute([1, 0])  # Transpose",
            "        return (t3, t1)",
        ])
        // 1.0f32 is the bytes 00 00 80 3f: base64 AACAPw==, three times.
        XCTAssertTrue(text.contains("        self.register_buffer('w0', tensor(torch.float32, [3, 1], 'AACAPwAAgD8AAIA/'))"), text)
        XCTAssertTrue(text.contains("\n# prelude\n"))
        XCTAssertTrue(text.contains("INPUTS = ['x']\nOUTPUTS = ['u', 'z']\nOUTPUT_DTYPES = [torch.float32, torch.float32]\n"))
    }

    func testTheFirstLineWhoseConditionHoldsIsTaken() throws {
        func div(_ d: DType) throws -> String {
            let t = TensorType(d, [4])
            let m = Model(inputs: [ValueInfo("a", t), ValueInfo("b", t)],
                          nodes: [Node(op: "Div", inputs: ["a", "b"], outputs: [ValueInfo("c", t)])], outputs: ["c"])
            return try XCTUnwrap(try emit(m).components(separatedBy: "\n").first { $0.contains("# Div") })
        }
        XCTAssertEqual(try div(.i32), "        t0 = torch.div(x0, x1, rounding_mode='trunc')  # Div")
        XCTAssertEqual(try div(.f32), "        t0 = torch.div(x0, x1)  # Div")
    }

    func testModelNamesAreEscapedStringLiterals() throws {
        let t = TensorType(.f32, [2])
        let evil = "x'); import os; os.system('id') #\n\u{e9}"
        let m = Model(inputs: [ValueInfo(evil, t)], nodes: [Node(op: "Relu", inputs: [evil], outputs: [ValueInfo("y\\", t)])], outputs: ["y\\"])
        let text = try emit(m)
        XCTAssertTrue(text.contains("INPUTS = ['x\\'); import os; os.system(\\'id\\') #\\x0a\\xe9']"), text)
        XCTAssertTrue(text.contains("OUTPUTS = ['y\\\\']"), text)
        XCTAssertTrue(try emit(m).contains("        t0 = torch.relu(x0)  # Relu"))
    }

    func testAnOperatorWithoutATorchLineIsNamed() throws {
        let source = "op NoTorch\ntypes T in f32\ninput X: T[*S]\noutput Y: T[*S]\ncompute Y[*i] = X[*i]\n"
        let bare = try Checker.check(try Parser.parse(path: "NoTorch.op", source: source), family: "test")
        let lib = SpecLibrary([try XCTUnwrap(library.spec(named: "Relu")), bare])
        let t = TensorType(.f32, [2])
        let m = Model(inputs: [ValueInfo("x", t)],
                      nodes: [Node(op: "Relu", inputs: ["x"], outputs: [ValueInfo("y", t)]), Node(op: "NoTorch", inputs: ["y"], outputs: [ValueInfo("z", t)])],
                      outputs: ["z"])
        XCTAssertThrowsError(try TorchEmitter.source(m, library: lib, prelude: "")) {
            XCTAssertEqual("\($0)", "node 1: operator 'NoTorch' has no torch mapping")
        }
    }
}
