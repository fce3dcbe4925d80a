import Foundation
import ModelIR
import Reference
import SpecLib
import TensorCore
import XCTest
@testable import Generator

let repositorySpecs: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Specs").path
}()

final class GeneratorTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func testModelsVerifyAndRun() throws {
        let gen = try ModelGenerator(library: library, config: GeneratorConfig())
        var failures: [String] = []
        let start = Date()
        for seed in 0..<200 {
            do {
                let m = try gen.generate(seed: UInt64(seed))
                XCTAssertEqual(m.nodes.count, 10)
                try Verifier.verify(m, library: library)
                _ = try Interpreter.outputs(m, library: library, inputs: m.randomInputs(seed: UInt64(seed)))
            } catch {
                failures.append("seed \(seed): \(error)")
            }
        }
        print("generated 200 models in \(Date().timeIntervalSince(start)) s")
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
    }
}
