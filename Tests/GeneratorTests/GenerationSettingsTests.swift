import Foundation
import XCTest
@testable import Generator

/// `GenerationSettings`: the plain value behind the generator options, and the configuration it stands for.
final class GenerationSettingsTests: XCTestCase {
    func testConfigReadsTheKernelTableAndCarriesEveryField() throws {
        let path = NSTemporaryDirectory() + "settings-kernels-\(UUID().uuidString).json"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let table = try XCTUnwrap(KernelTable(entries: ["Relu": ["f32->f32"]]))
        try table.fileText.write(toFile: path, atomically: true, encoding: .utf8)
        let settings = GenerationSettings(nodes: 3, include: ["Relu"], exclude: ["Add"], dtypes: [.f32], kernels: path,
                                          maxElements: 100, maxRank: 2)
        let config = try settings.config()
        XCTAssertEqual(config.nodes, 3)
        XCTAssertEqual(config.include, ["Relu"])
        XCTAssertEqual(config.exclude, ["Add"])
        XCTAssertEqual(config.dtypes, [.f32])
        XCTAssertEqual(config.kernels, table)
        XCTAssertEqual(config.maxElements, 100)
        XCTAssertEqual(config.maxRank, 2)
        let data = try JSONEncoder().encode(settings)
        XCTAssertEqual(try JSONDecoder().decode(GenerationSettings.self, from: data), settings)
    }

    func testUnreadableKernelTableIsAGeneratorError() throws {
        XCTAssertThrowsError(try GenerationSettings(kernels: "/nonexistent/k.json").config()) { error in
            XCTAssertEqual((error as? GeneratorError)?.message, "cannot read '/nonexistent/k.json': no such file")
        }
        let path = NSTemporaryDirectory() + "settings-bad-\(UUID().uuidString).json"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try "{\"Relu\": [\"f32\"]}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GenerationSettings(kernels: path).config()) { error in
            XCTAssertEqual((error as? GeneratorError)?.message, "\(path): not a kernel table (a JSON object of operator name to signature list)")
        }
    }

    func testListSplitsOnCommasAndTrims() {
        XCTAssertEqual(GenerationSettings.list(" Relu, Add,,Mul "), ["Relu", "Add", "Mul"])
    }
}
