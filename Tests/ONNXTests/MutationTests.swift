import Foundation
import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import ONNX

/// Mutated ONNX files (bit flips, truncations, huge lengths and counts) must give errors, never crashes or hangs.
final class MutationTests: XCTestCase {
    /// 10,000 mutants by default (well under a second); `GRAPHSMITH_MUTANTS=N` for more.
    var mutantCount: Int { Int(ProcessInfo.processInfo.environment["GRAPHSMITH_MUTANTS"] ?? "") ?? 10_000 }

    func testMutatedModelsNeverCrashOrHang() throws {
        let library = try SpecLibrary.load(directory: repositoryRoot.appendingPathComponent("Specs").path)
        var rng = SeededRNG(seed: 31337)
        var seeds: [[UInt8]] = []
        for spec in library.operators {
            guard let instance = InstanceSampler(spec: spec).sample(using: &rng) else { continue }
            seeds.append(try Exporter.export(oneNodeModel(instance, &rng), library: library))
        }
        var outcomes: [String: Int] = [:]
        var slowest = 0.0
        for k in 0..<mutantCount {
            let mutant = Mutator.mutate(seeds[k % seeds.count], &rng)
            let start = Date()
            do {
                _ = try Importer.decode(mutant, library: library)
                outcomes["imported", default: 0] += 1
            } catch let e as OnnxError {
                outcomes[e.kind.rawValue, default: 0] += 1
                XCTAssertFalse(e.message.contains("\n"))
            }
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        print("mutation: \(mutantCount) mutants, outcomes \(outcomes.sorted { $0.key < $1.key }), slowest import \(String(format: "%.3f", slowest)) s")
        XCTAssertLessThan(slowest, 5, "an import took too long")
        XCTAssertGreaterThan(outcomes["invalid", default: 0], 0)
    }
}

/// Byte-level mutations of protobuf files.
enum Mutator {
    static func mutate(_ seed: [UInt8], _ rng: inout SeededRNG) -> [UInt8] {
        var b = seed
        for _ in 0..<rng.int(in: 1...3) {
            guard !b.isEmpty else { break }
            let at = rng.int(in: 0...(b.count - 1))
            switch rng.int(in: 0...5) {
            case 0: b[at] ^= UInt8(1 << rng.int(in: 0...7))  // bit flip
            case 1: b = Array(b[..<at])  // truncation
            case 2: b.replaceSubrange(at..<min(b.count, at + 5), with: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])  // huge varint length
            case 3: b.insert(contentsOf: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], at: at)  // a field claiming ~2 GiB
            case 4: b[at] = UInt8(truncatingIfNeeded: rng.next())  // random byte
            default:  // duplicate a slice: repeated fields and counts grow
                let end = min(b.count, at + rng.int(in: 1...64))
                b.insert(contentsOf: b[at..<end], at: at)
            }
        }
        return b
    }
}
