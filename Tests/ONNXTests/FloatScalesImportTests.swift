import Foundation
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// A constant float vector of whole numbers (Resize's and Upsample's scales) imports into an `ints` attribute; Resize's
/// fractional scales import as `fraction(scales, scale_bits)`, each the smallest exponent that makes it whole.
final class FloatScalesImportTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    /// Resize of x [1, 1, 2, 2] with roi omitted and the given scales as an initializer.
    func resize(_ scales: [Double], out: [Int]) throws -> [UInt8] {
        try HandMadeModel(inputs: [("x", TensorType(.f32, [1, 1, 2, 2]))],
                          initializers: [("s", Tensor(dtype: .f32, shape: [4], doubles: scales))],
                          nodes: [.init(op: "Resize", inputs: ["x", "", "s"], outputs: ["y"])],
                          outputs: [("y", TensorType(.f32, out))]).bytes()
    }

    func testWholeScalesImportAsInts() throws {
        let model = try Importer.decode(resize([1, 1, 2, 3], out: [1, 1, 4, 6]), library: library)
        XCTAssertEqual(model.nodes.map(\.op), ["Resize"])
        XCTAssertEqual(model.nodes[0].attributes["scales"], .ints([1, 1, 2, 3]))
    }

    func testFractionalScalesImportAsFractions() throws {
        // 1.5 = 3 / 2^1; 0.6 as float32 is 10066330 / 2^24 = 5033165 / 2^23 (5033165 is odd).
        let model = try Importer.decode(resize([1, 1, 1.5, Double(Float(0.6))], out: [1, 1, 3, 1]), library: library)
        XCTAssertEqual(model.nodes[0].attributes["scales"], .ints([1, 1, 3, 5033165]))
        XCTAssertEqual(model.nodes[0].attributes["scale_bits"], .ints([0, 0, 1, 23]))
    }

    func testScalesFinerThanTheLimitAreRefused() throws {
        // 2^-40 is no whole multiple of 2^-30.
        XCTAssertThrowsError(try Importer.decode(resize([1, 1, 2, 0x1p-40], out: [1, 1, 4, 1]), library: library)) { error in
            XCTAssertTrue("\(error)".contains("Resize"), "\(error)")
        }
    }
}
