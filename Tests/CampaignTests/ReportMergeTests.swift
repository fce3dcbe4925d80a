import Backends
import Foundation
import Generator
import Oracle
import XCTest
@testable import Campaign

/// Builds small campaign directories from the format's records, as `graphsmith fuzz` would write them.
struct CampaignFixture {
    let root: String

    init(_ test: XCTestCase) throws {
        root = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// A finding record whose fingerprint is told apart from others by `key` alone.
    static func finding(_ id: String, _ key: String, elapsed: Double, hits: Int, test: Int,
                        repro: String = "graphsmith fuzz --replay", message: String = "max abs diff 0.5") -> FindingRecord {
        let fingerprint = Fingerprint(verdict: .mismatch, stage: .execute, operatorClass: key, backends: ["vm-O3"], message: "")
        return FindingRecord(id: id, fingerprint: fingerprint, verdict: .mismatch, stage: .execute, backends: ["reference", "vm-O3"],
                      operators: ["Add", "Relu"], message: message, test: test, testSeed: 99, elapsed: elapsed, hits: hits, repro: repro)
    }

    static func sample(_ elapsed: Double, tests: Int, findings: Int) -> StatsSample {
        StatsSample(elapsed: elapsed, tests: tests, findings: findings, hits: findings, rate: 1, operators: 2, operatorsTotal: 4,
                    pairs: 1, pairsTotal: 4, bins: 3, binsTotal: 10)
    }

    /// Writes a campaign directory `name` and returns its path.
    @discardableResult
    func campaign(_ name: String, shard: Int = 0, tests: Int, verdicts: [String: Int], findings: [FindingRecord],
                  operators: [String: Int] = ["Add": 3], stats: String? = nil) throws -> String {
        let dir = "\(root)/\(name)"
        try FileManager.default.createDirectory(atPath: dir + "/findings", withIntermediateDirectories: true)
        try AtomicFile.writeJSON(CampaignConfig(seed: 7, backends: ["vm-O3"], nodes: 10, shardIndex: shard, shardCount: 2), to: dir + "/config.json")
        var state = CampaignState()
        state.tests = tests
        state.nextTest = tests
        state.verdicts = verdicts
        state.elapsed = 60
        try AtomicFile.writeJSON(state, to: dir + "/state.json")
        var coverage = Coverage()
        coverage.models = tests
        coverage.operators = operators
        try AtomicFile.writeJSON(coverage, to: dir + "/coverage.json")
        for f in findings {
            try FileManager.default.createDirectory(atPath: "\(dir)/findings/\(f.id)", withIntermediateDirectories: true)
            try AtomicFile.writeJSON(f, to: "\(dir)/findings/\(f.id)/finding.json")
        }
        if let stats { try AtomicFile.write(stats, to: dir + "/stats.jsonl") }
        return dir
    }

    static func line(_ s: StatsSample) throws -> String { String(decoding: try JSONCoding.encode(s, pretty: false), as: UTF8.self) }
}

final class ReportMergeTests: XCTestCase {
    /// Two shards share fingerprint A (first hit earlier in the second); the first also has B.
    private func twoShards() throws -> (CampaignFixture, String, String) {
        let fx = try CampaignFixture(self)
        let a = try fx.campaign("shard-0", tests: 20, verdicts: ["pass": 17, "mismatch": 3], findings: [
            CampaignFixture.finding("f-aaaaaaaaaaaa", "mismatch|execute|vm-O3|Add,Relu", elapsed: 50, hits: 2, test: 8),
            CampaignFixture.finding("f-bbbbbbbbbbbb", "mismatch|execute|vm-O3|MatMul", elapsed: 30, hits: 1, test: 5),
        ], operators: ["Add": 3, "Relu": 1])
        let b = try fx.campaign("shard-1", shard: 1, tests: 10, verdicts: ["pass": 7, "mismatch": 3], findings: [
            CampaignFixture.finding("f-aaaaaaaaaaaa", "mismatch|execute|vm-O3|Add,Relu", elapsed: 10, hits: 3, test: 4,
                                    repro: "graphsmith fuzz --seed 7 --test 4 | tee log"),
        ], operators: ["Add": 2, "MatMul": 5])
        return (fx, a, b)
    }

    func testMergeDedupesByFingerprint() throws {
        let (_, a, b) = try twoShards()
        let m = CampaignMerge([try CampaignDirectory.read(a), try CampaignDirectory.read(b)])
        XCTAssertEqual(m.findings.map(\.finding.id), ["f-aaaaaaaaaaaa", "f-bbbbbbbbbbbb"], "ordered by first seen")
        let shared = m.findings[0]
        XCTAssertEqual(shared.finding.hits, 5)
        XCTAssertEqual(shared.finding.elapsed, 10)
        XCTAssertEqual(shared.finding.test, 4, "the earliest first hit's test")
        XCTAssertEqual(shared.firstDirectory, b)
        XCTAssertEqual(shared.directories, [a, b])
        XCTAssertEqual(m.findings[1].directories, [a])
        XCTAssertEqual(m.hits, 6)
        XCTAssertEqual(m.tests, 30)
        XCTAssertEqual(m.verdicts, ["pass": 24, "mismatch": 6])
        XCTAssertEqual(m.findingTests, 6)
        XCTAssertEqual(m.coverage.operators, ["Add": 5, "Relu": 1, "MatMul": 5])
        XCTAssertEqual(m.coverage.models, 30)
        XCTAssertEqual(m.directories.map(\.shard), ["0/2", "1/2"])
    }

    func testTieKeepsTheDirectoryGivenFirst() throws {
        let fx = try CampaignFixture(self)
        let f = CampaignFixture.finding("f-cccccccccccc", "crash|compile|native-O3|Conv", elapsed: 5, hits: 1, test: 1)
        var g = f
        g.test = 9
        let a = try fx.campaign("a", tests: 1, verdicts: ["crash": 1], findings: [f])
        let b = try fx.campaign("b", tests: 1, verdicts: ["crash": 1], findings: [g])
        let m = CampaignMerge([try CampaignDirectory.read(b), try CampaignDirectory.read(a)])
        XCTAssertEqual(m.findings.count, 1)
        XCTAssertEqual(m.findings[0].firstDirectory, b)
        XCTAssertEqual(m.findings[0].finding.test, 9)
        XCTAssertEqual(m.findings[0].finding.hits, 2)
    }

    func testStatsSkipATrailingHalfLineOnly() throws {
        let fx = try CampaignFixture(self)
        let full = try [CampaignFixture.sample(10, tests: 5, findings: 0), CampaignFixture.sample(20, tests: 9, findings: 1)]
            .map(CampaignFixture.line).joined(separator: "\n") + "\n"
        let killed = try fx.campaign("killed", tests: 9, verdicts: ["pass": 9], findings: [], stats: full + "{\"elapsed\": 30, \"tes")
        XCTAssertEqual(try CampaignDirectory.read(killed).stats.map(\.tests), [5, 9])
        let corrupt = try fx.campaign("corrupt", tests: 9, verdicts: ["pass": 9], findings: [], stats: "{\"elapsed\": 1}\n" + full)
        XCTAssertThrowsError(try CampaignDirectory.read(corrupt)) { error in
            XCTAssertEqual("\(error)", "\(corrupt)/stats.jsonl: line 1 is not a valid StatsSample")
        }
    }

    func testMissingOrCorruptFilesNameTheFile() throws {
        let fx = try CampaignFixture(self)
        let dir = try fx.campaign("c", tests: 1, verdicts: ["pass": 1], findings: [])
        XCTAssertEqual(try CampaignDirectory.read(dir).findings, [], "a directory without findings is fine")
        try AtomicFile.write("{\"models\": 1, \"operators\": [", to: dir + "/coverage.json")
        XCTAssertThrowsError(try CampaignDirectory.read(dir)) { error in
            XCTAssertEqual("\(error)", "\(dir)/coverage.json: not a valid Coverage file (corrupt JSON)")
        }
        try FileManager.default.removeItem(atPath: dir + "/state.json")
        XCTAssertThrowsError(try CampaignDirectory.read(dir)) { error in
            XCTAssertEqual("\(error)", "\(dir)/state.json: missing or unreadable")
        }
        let other = try fx.campaign("d", tests: 1, verdicts: ["pass": 1], findings: [])
        try FileManager.default.createDirectory(atPath: other + "/findings/f-dddddddddddd", withIntermediateDirectories: true)
        XCTAssertThrowsError(try CampaignDirectory.read(other)) { error in
            XCTAssertEqual("\(error)", "\(other)/findings/f-dddddddddddd/finding.json: missing or unreadable")
        }
        XCTAssertThrowsError(try CampaignDirectory.read(fx.root + "/nowhere")) { error in
            XCTAssertEqual("\(error)", "\(fx.root)/nowhere: not a campaign directory (no such directory)")
        }
    }
}
