import Foundation
import Generator
import SpecLib
import TestSupport
import XCTest
@testable import Campaign

/// A campaign's generator settings are a Codable value in `config.json`; directories written before it, which hold
/// the generator options as command-line arguments, still load to the same settings.
final class CampaignConfigTests: XCTestCase {
    private func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "campaign-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A config.json of the older form: every field of version 1 and the given `generatorArguments`.
    private func legacyConfig(_ arguments: [String], in dir: String) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: [
            "version": 1, "seed": 3, "backends": ["vm-O3"], "nodes": 7, "shardIndex": 0, "shardCount": 1, "faults": [],
            "testTimeout": 20, "memoryLimitMiB": 4096, "generatorArguments": arguments, "disabledPasses": [],
        ] as [String: Any])
        try json.write(to: URL(fileURLWithPath: dir + "/config.json"))
        return dir + "/config.json"
    }

    func testSettingsRoundTripThroughConfigJSON() throws {
        let dir = try tempDir()
        let settings = GenerationSettings(nodes: 7, include: ["Relu", "Add"], exclude: ["Mul"], dtypes: [.f32, .i64],
                                          kernels: "/tmp/k.json", maxElements: 4096, maxRank: 4, valueCheck: false)
        let config = CampaignConfig(seed: 3, backends: ["vm-O3"], nodes: 7, faults: ["broadcast-stride"], generator: settings)
        try AtomicFile.writeJSON(config, to: dir + "/config.json")
        XCTAssertEqual(try JSONCoding.decode(CampaignConfig.self, from: dir + "/config.json"), config)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/config.json"))) as? [String: Any])
        XCTAssertNil(object["generatorArguments"], "only the settings value is written")
        let generator = try XCTUnwrap(object["generator"] as? [String: Any])
        XCTAssertEqual(generator["dtypes"] as? [String], ["f32", "i64"])
        XCTAssertEqual(generator["valueCheck"] as? Bool, false)
    }

    /// A directory written before native screening builds exactly; a new one records its choice.
    func testNativeScreeningIsRecordedAndOldDirectoriesBuildExactly() throws {
        let dir = try tempDir()
        let old = try JSONCoding.decode(CampaignConfig.self, from: try legacyConfig([], in: dir))
        XCTAssertNil(old.nativeScreening)
        XCTAssertEqual(old.nativeBuild, .exact)
        var config = CampaignConfig(seed: 3, backends: ["native-O3"], nodes: 7)
        config.nativeScreening = true
        try AtomicFile.writeJSON(config, to: dir + "/config.json")
        let read = try JSONCoding.decode(CampaignConfig.self, from: dir + "/config.json")
        XCTAssertEqual(read.nativeBuild, .screening)
        let executor = try TestExecutor(config: read, library: try SpecLibrary.load(directory: repositorySpecs))
        XCTAssertNotNil(executor.backends[0].backend.confirmation, "a screened native backend confirms on its exact build")
        config.nativeScreening = false
        XCTAssertNil(try TestExecutor(config: config, library: try SpecLibrary.load(directory: repositorySpecs)).backends[0].backend.confirmation)
    }

    func testOldArgumentsLoadToTheSameSettings() throws {
        let dir = try tempDir()
        let arguments = ["--nodes", "7", "--max-elements", "4096", "--max-rank", "4", "--include", "Relu, Add", "--exclude", "Mul",
                         "--dtypes", "f32,i64", "--kernels", "/tmp/k.json", "--no-value-check"]
        let config = try JSONCoding.decode(CampaignConfig.self, from: try legacyConfig(arguments, in: dir))
        XCTAssertEqual(config.generator, GenerationSettings(nodes: 7, include: ["Relu", "Add"], exclude: ["Mul"], dtypes: [.f32, .i64],
                                                            kernels: "/tmp/k.json", maxElements: 4096, maxRank: 4, valueCheck: false))
        let empty = try JSONCoding.decode(CampaignConfig.self, from: try legacyConfig([], in: dir))
        XCTAssertEqual(empty.generator, GenerationSettings(), "no arguments: the generator's defaults, as workers made of them")
        XCTAssertEqual(empty.nodes, 7)
    }

    func testTheCommittedCorpusLoads() throws {
        let corpus = repositoryRoot.appendingPathComponent("Corpus").path
        let cases = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { !$0.hasSuffix(".md") }
        XCTAssertFalse(cases.isEmpty)
        for name in cases {
            let config = try JSONCoding.decode(CampaignConfig.self, from: "\(corpus)/\(name)/config.json")
            XCTAssertEqual(config.generator, GenerationSettings(nodes: 10, maxElements: 4096, maxRank: 5), name)
        }
    }

    func testArgumentsOutsideTheVocabularyAreAnErrorNamingTheField() throws {
        let dir = try tempDir()
        for bad in [["--nodes"], ["--nodes", "ten"], ["--dtypes", "f33"], ["--colour", "red"], ["stray"]] {
            XCTAssertThrowsError(try JSONCoding.decode(CampaignConfig.self, from: try legacyConfig(bad, in: dir)), "\(bad)") { error in
                XCTAssertEqual("\(error)", "\(dir)/config.json: not a valid CampaignConfig file (wrong type at 'generatorArguments')")
            }
        }
    }
}
