import Foundation
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// A constant float vector of whole numbers (Resize's and Upsample's scales) imports into an `ints` attribute; a
/// fractional one is refused, since no spec attribute can hold it.
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

    func testFractionalScalesAreRefused() throws {
        XCTAssertThrowsError(try Importer.decode(resize([1, 1, 1.5, 2], out: [1, 1, 3, 4]), library: library)) { error in
            XCTAssertTrue("\(error)".contains("Resize"), "\(error)")
        }
    }
}
