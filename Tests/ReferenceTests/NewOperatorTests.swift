import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Reference

/// Adding an operator needs only a spec file: no Swift change.
final class NewOperatorTests: XCTestCase {
    func testHardSwishFromATemporarySpecDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gs-new-op-\(UUID().uuidString)")
        let family = dir.appendingPathComponent("activation")
        try FileManager.default.createDirectory(at: family, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = """
            # A user's own operator (not in the repository's specs): x * max(0, min(1, x / 6 + 1/2)).
            op MyHardSwish
            types T in float
            input   X: T[*S]
            output  Y: T[*S]
            compute Y[*i] = X[*i] * max(0, min(1, X[*i] / 6 + 0.5))
            """
        try source.write(to: family.appendingPathComponent("MyHardSwish.op"), atomically: true, encoding: .utf8)
        // The new spec joins the repository's specs, as a user's extra folder would.
        let (library, errors) = try SpecLibrary.loadCollectingErrors(directories: [specsDirectory, dir.path])
        XCTAssertEqual(errors.map(\.description), [])
        XCTAssertNotNil(library.spec(named: "MyHardSwish"))

        let type = TensorType(.f32, [2, 3])
        let model = Model(
            inputs: [ValueInfo("x", type)],
            nodes: [
                Node(op: "MyHardSwish", inputs: ["x"], outputs: [ValueInfo("h", type)]),
                Node(op: "Relu", inputs: ["h"], outputs: [ValueInfo("y", type)]),
            ],
            outputs: ["y"])
        let xs: [Double] = [-4, -3, -1, 0, 2, 5]
        let y = try Interpreter.outputs(model, library: library, inputs: ["x": t([2, 3], xs)])[0]
        let expected = xs.map { x in max(0, x * max(0, min(1, x / 6 + 0.5))) }
        assertClose(y, t([2, 3], expected))
    }
}
