import Foundation
import ModelIR
import SpecLib
import TestSupport
import XCTest
@testable import ONNX

/// A model's opset is the highest its nodes need, and every node must still mean the same there: Upsample exists at
/// opsets 7..9 only, so a model that also holds an operator first written at a later opset has no valid ONNX form.
final class OpsetConflictTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func model(_ second: String) throws -> Model {
        try TextReader.read("""
            graphsmith-model 1
            input v0: f32[2, 1, 3]
            node v1: f32[2, 2, 9] = Upsample(v0) {mode = nearest, scales = [1, 2, 3]}
            \(second)
            output v1
            output v2
            """)
    }

    func testUpsampleBesideAnOpset9OperatorExports() throws {
        let m = try model("node v2: f32[2, 1, 3] = Relu(v0)")
        XCTAssertNil(try Exporter.opsetConflict(m, library: library, opset: try Exporter.opset(m, library: library)))
        XCTAssertNoThrow(try Exporter.export(m, library: library))
    }

    func testUpsampleBesideAnOpset13OperatorIsRefusedNamingTheNode() throws {
        // Softmax's line is opset 13: the model would need 13, where Upsample no longer exists.
        let m = try model("node v2: f32[2, 1, 3] = Softmax(v0) {axis = -1}")
        XCTAssertEqual(try Exporter.opset(m, library: library), 13)
        let why = try XCTUnwrap(try Exporter.opsetConflict(m, library: library, opset: 13))
        XCTAssertTrue(why.contains("node 0 (Upsample)") && why.contains("7..9") && why.contains("opset 13"), why)
        XCTAssertThrowsError(try Exporter.export(m, library: library)) { error in
            XCTAssertTrue("\(error)".contains("node 0 (Upsample)"), "\(error)")
        }
    }
}
