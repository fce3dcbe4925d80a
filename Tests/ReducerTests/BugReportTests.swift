import Backends
import Campaign
import ModelIR
import Oracle
import Reducer
import SpecLib
import TensorCore
import XCTest

/// bug-report.md of a known two-node model: the node table, inline inputs, expected against actual.
final class BugReportTests: XCTestCase {
    let model = Model(
        inputs: [ValueInfo("x", TensorType(.f32, [2, 2])), ValueInfo("big", TensorType(.f32, [17]))],
        nodes: [Node(op: "Add", inputs: ["x", "x"], outputs: [ValueInfo("s", TensorType(.f32, [2, 2]))]),
                Node(op: "Softmax", inputs: ["s"], outputs: [ValueInfo("y", TensorType(.f32, [2, 2]))],
                     attributes: ["axis": .int(1)])],
        outputs: ["y"])

    func record(_ verdict: Verdict, _ message: String) -> FindingRecord {
        let fp = Fingerprint(verdict: verdict, stage: .execute, operatorClass: "Softmax", backends: ["openvino"], message: message)
        return FindingRecord(id: "f-0123456789ab", fingerprint: fp, verdict: verdict, stage: .execute,
                             backends: ["reference", "openvino"], operators: ["Softmax"], message: message, test: 0,
                             testSeed: 7, elapsed: 1, hits: 1, repro: "graphsmith replay out")
    }

    func report(_ verdict: Verdict, actual: [Tensor]?, message: String = "max abs error 0.5") -> BugReport {
        BugReport(model: model,
                  inputs: ["x": Tensor(dtype: .f32, shape: [2, 2], doubles: [1, -2, 0.5, 3]),
                           "big": Tensor(dtype: .f32, shape: [17], doubles: Array(repeating: 0, count: 17))],
                  record: record(verdict, message), backend: "openvino",
                  versions: ["backend": "2026.4.1", "python": "3.11.7", "onnx": "1.23.2", "numpy": "2.4.6"],
                  expected: [Tensor(dtype: .f32, shape: [2, 2], doubles: [0.25, 0.75, 0.5, 0.5])],
                  actual: actual)
    }

    func testWrongResultReport() {
        let text = report(.mismatch, actual: [Tensor(dtype: .f32, shape: [2, 2], doubles: [0.25, 0.75, 0.5, 0.625])]).markdown()
        let lines = text.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "# [openvino] wrong result in Softmax(f32[2, 2])")
        XCTAssertTrue(lines.contains("- openvino: 2026.4.1"))
        XCTAssertTrue(lines.contains("- numpy: 2.4.6"))
        XCTAssertTrue(lines.contains("| 0 | Add | `x`: f32[2, 2]<br>`x`: f32[2, 2] | `s`: f32[2, 2] | – |"), text)
        XCTAssertTrue(lines.contains("| 1 | Softmax | `s`: f32[2, 2] | `y`: f32[2, 2] | axis=1 |"), text)
        XCTAssertTrue(text.contains("attached: model.onnx"))
        XCTAssertTrue(lines.contains("- `x`: f32[2, 2] = [1.0, -2.0, 0.5, 3.0]"), text)
        XCTAssertTrue(lines.contains("- `big`: f32[17], in inputs/big.pb"), "17 elements are not inlined:\n\(text)")
        XCTAssertTrue(text.contains("1 of 4 elements differ"))
        XCTAssertTrue(lines.contains("  | 3 | 0.5 | 0.625 |"), text)
        XCTAssertFalse(text.contains("| 2 | 0.5 |"), "equal elements are not listed")
        XCTAssertTrue(text.contains("python repro.py"))
    }

    /// A torch backend's report shows the module's forward (what torch's tracker wants: minimal code) and needs no onnx.
    func testTorchReportShowsTheForward() {
        var r = report(.mismatch, actual: [Tensor(dtype: .f32, shape: [2, 2], doubles: [0.25, 0.75, 0.5, 0.625])])
        r.backend = "torch-compile"
        r.format = .torch
        r.versions = ["backend": "2.13.0+cpu", "python": "3.11.7", "onnx": "1.23.2", "numpy": "2.4.6"]
        r.forwardText = "class Model(torch.nn.Module):\n    def forward(self, x0, x1):\n        t0 = torch.add(x0, x0)  # Add\n"
            + "        t1 = torch.softmax(t0, dim=1)  # Softmax\n        return (t1,)\n\n\nINPUTS = ['x', 'big']\n"
        let text = r.markdown()
        let lines = text.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "# [torch-compile] wrong result in Softmax(f32[2, 2])")
        XCTAssertTrue(lines.contains("- torch-compile (torch): 2.13.0+cpu"), text)
        XCTAssertFalse(text.contains("- onnx:"), text)
        XCTAssertTrue(text.contains("```python\n    def forward(self, x0, x1):\n        t0 = torch.add(x0, x0)  # Add\n"
                                    + "        t1 = torch.softmax(t0, dim=1)  # Softmax\n        return (t1,)\n```"), text)
        XCTAssertFalse(text.contains("INPUTS ="), "only the forward")
        XCTAssertTrue(text.contains("It needs only torch and numpy"))
        XCTAssertFalse(text.contains("| 0 | Add |"), "no ONNX node table")
    }

    func testInternalErrorReportQuotesTheMessage() {
        let message = "RuntimeError: Exception from src/core: Softmax axis out of range"
        let text = report(.crash, actual: nil, message: message).markdown()
        XCTAssertTrue(text.hasPrefix("# [openvino] internal error in Softmax(f32[2, 2])"), text)
        XCTAssertTrue(text.contains("```\n\(message)\n```"))
        XCTAssertFalse(text.contains("Expected (reference)"))
    }

    func testDeadWorkerIsACrash() {
        XCTAssertTrue(report(.crash, actual: nil, message: "openvino worker died (signal 11)").title.hasPrefix("[openvino] crash in"))
    }
}
