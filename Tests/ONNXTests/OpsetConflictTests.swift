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

    func testUpsampleBesideAFloatEqualIsRefusedNamingTheDtype() throws {
        // Equal's meaning is the same from 7, but ONNX's Equal takes float only from 11, where Upsample is gone.
        let m = try model("node v2: bool[2, 1, 3] = Equal(v0, v0)")
        let opset = try Exporter.opset(m, library: library)
        let why = try XCTUnwrap(try Exporter.opsetConflict(m, library: library, opset: opset))
        XCTAssertTrue(why.contains("Equal") || why.contains("Upsample"), why)
        XCTAssertThrowsError(try Exporter.export(m, library: library))
        // At 11 it is the float that fits and Upsample that does not; at 9 the other way round.
        let at9 = try XCTUnwrap(try Exporter.opsetConflict(m, library: library, opset: 9))
        XCTAssertTrue(at9.contains("node 1 (Equal)") && at9.contains("f32") && at9.contains("from opset 11"), at9)
    }

    func testUpsampleBesideAnIntegerEqualStillExportsAtNine() throws {
        // int32 is in every Equal version, so the model keeps its opset-9 form.
        let m = try TextReader.read("""
            graphsmith-model 1
            input v0: f32[2, 1, 3]
            input w: i32[3]
            node v1: f32[2, 2, 9] = Upsample(v0) {mode = nearest, scales = [1, 2, 3]}
            node v2: bool[3] = Equal(w, w)
            output v1
            output v2
            """)
        XCTAssertEqual(try Exporter.opset(m, library: library), 9)
        XCTAssertNoThrow(try Exporter.export(m, library: library))
    }

    func testADtypeAnOperatorTakesLaterRaisesTheModelsOpset() throws {
        // IsInf's line is written at opset 10, whose IsInf takes float32 and float64 only; float16 comes with 20.
        let m = try TextReader.read("""
            graphsmith-model 1
            input v0: f16[4]
            node v1: bool[4] = IsInf(v0)
            output v1
            """)
        XCTAssertEqual(try Exporter.opset(m, library: library), 20)
        XCTAssertNil(try Exporter.opsetConflict(m, library: library, opset: 20))
        XCTAssertNotNil(try Exporter.opsetConflict(m, library: library, opset: 19))
    }
}
