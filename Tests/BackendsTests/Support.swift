import Foundation
import ModelIR
import TensorCore
import XCTest
@testable import Backends

/// Add(a, b) with b broadcast, then Relu: the model the outside-compiler tests run.
let addReluModel: Model = {
    let f = TensorType(.f32, [2, 3])
    return Model(inputs: [ValueInfo("a", f), ValueInfo("b", TensorType(.f32, [3]))],
                 nodes: [Node(op: "Add", inputs: ["a", "b"], outputs: [ValueInfo("s", f)]),
                         Node(op: "Relu", inputs: ["s"], outputs: [ValueInfo("y", f)])],
                 outputs: ["y"])
}()

/// `backend` when it can run here; else a skip outside CI and a failure in CI (which installs what it needs).
func availableOrSkip<B: Backend>(_ backend: B, _ what: String) throws -> B {
    if let why = backend.unavailableReason() {
        XCTAssertFalse(why.contains("\n"), "one line")
        try XCTSkipIf(ProcessInfo.processInfo.environment["CI"] == nil, why)
        XCTFail("\(what) must run in CI: \(why)")
    }
    return backend
}
