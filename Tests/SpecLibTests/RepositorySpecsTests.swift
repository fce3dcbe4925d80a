import Foundation
import SpecLang
import TensorCore
import XCTest
@testable import SpecLib
import TestSupport

final class RepositorySpecsTests: XCTestCase {
    func testAllSpecsCheck() throws {
        let (library, errors) = try SpecLibrary.loadCollectingErrors(directories: [repositorySpecs])
        XCTAssertEqual(errors.map(\.description), [])
        XCTAssertGreaterThanOrEqual(library.operators.count, 60)
    }

    func testEverySpecHasValidInstances() throws {
        let library = try SpecLibrary.load(directory: repositorySpecs)
        var failures: [String] = []
        for spec in library.operators {
            var rng = SeededRNG(seed: 7)
            let sampler = InstanceSampler(spec: spec)
            var found = 0
            var lastError = ""
            for _ in 0..<10 {
                switch sampler.sampleOrExplain(using: &rng, maxAttempts: 300) {
                case .success: found += 1
                case .failure(let e): lastError = e.description
                }
            }
            if found < 10 { failures.append("\(spec.name): \(found)/10 (\(lastError))") }
        }
        XCTAssertEqual(failures, [])
    }
}
