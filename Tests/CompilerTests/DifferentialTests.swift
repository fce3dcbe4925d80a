import Compiler
import Foundation
import Generator
import ModelIR
import Reference
import TensorCore
import XCTest

/// Generated models give the reference's outputs at every optimization level.
final class DifferentialTests: XCTestCase {
    struct Summary {
        var compared = 0, skipped = 0, changedAtO3 = 0
        /// How many models each pass changed (at O3).
        var changedBy: [String: Int] = [:]
    }

    /// Runs `count` generated models at O0 to O3 (checked mode) against the reference interpreter.
    func differential(_ config: GeneratorConfig, count: Int, label: String) throws -> Summary {
        let generator = try ModelGenerator(library: specLibrary, config: config)
        var failures: [String] = []
        var summary = Summary()
        var nodesIn = 0, nodesOut = 0, fusedGroups = 0
        let start = Date()
        for seed in 0..<UInt64(count) {
            let m = try generator.generate(seed: seed)
            let inputs = m.randomInputs(seed: seed)
            guard let expected = try? Interpreter.outputs(m, library: specLibrary, inputs: inputs) else { summary.skipped += 1; continue }
            summary.compared += 1
            // Levels often produce the same model; run each distinct one once.
            var outputsOf: [Model: [Tensor]] = [m: expected]
            for level in OptimizationLevel.allCases {
                do {
                    var ctx = context(level)
                    let changes = ChangeLog(m)
                    if level == .O3 { ctx.instruments = [changes.record] }
                    let compiled = try Pipeline.standard.compile(m, context: ctx)
                    let actual = try outputsOf[compiled.model]
                        ?? Interpreter.outputs(compiled.model, library: specLibrary, inputs: inputs)
                    outputsOf[compiled.model] = actual
                    for (k, (a, e)) in zip(actual, expected).enumerated() {
                        let report = Compare.allClose(actual: a, expected: e, tolerance: .default(for: e.dtype))
                        if !report.passed { failures.append("\(label) seed \(seed) \(level) output \(k): mismatch \(report)") }
                    }
                    if level == .O3 {
                        nodesIn += m.nodes.count
                        nodesOut += compiled.model.nodes.count
                        summary.changedAtO3 += compiled.model == m ? 0 : 1
                        fusedGroups += compiled.fusion.groups.filter { $0.nodes.count > 1 }.count
                        for pass in changes.changed { summary.changedBy[pass, default: 0] += 1 }
                    }
                } catch {
                    failures.append("\(label) seed \(seed) \(level): \(error)")
                }
            }
        }
        let passes = summary.changedBy.keys.sorted().map { "\($0) \(summary.changedBy[$0]!)" }.joined(separator: ", ")
        print("\(label): \(summary.compared) models compared at O0-O3, \(summary.skipped) skipped (reference throws), "
              + "\(failures.count) failures; O3 changed \(summary.changedAtO3) models (\(passes)), nodes \(nodesIn) -> \(nodesOut), "
              + "\(fusedGroups) fused groups of 2+; " + String(format: "%.1f s", Date().timeIntervalSince(start)))
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
        return summary
    }

    func testGeneratedModelsAgreeWithTheReferenceAtEveryLevel() throws {
        let s = try differential(GeneratorConfig(), count: 300, label: "all operators")
        XCTAssertGreaterThan(s.compared, 250)
        XCTAssertGreaterThan(s.changedAtO3, 0)
    }

    /// Models of layout and idempotent operators only, so the rewrite rules fire often.
    func testRewriteHeavyModelsAgreeWithTheReference() throws {
        var config = GeneratorConfig()
        config.include = ["Transpose", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Neg", "Relu", "Abs",
                          "Max", "Min", "Clip", "Trilu", "Not", "And", "Floor", "Sign"]
        let s = try differential(config, count: 150, label: "layout and idempotent operators")
        XCTAssertGreaterThan(s.compared, 100)
        XCTAssertGreaterThan(s.changedBy["algebraic-simplification", default: 0], 10)
        XCTAssertGreaterThan(s.changedBy["layout-simplification", default: 0], 10)
    }

    /// Transpose chains only: composed permutations are checked on values, not just on shapes.
    func testTransposeChainsAgreeWithTheReference() throws {
        var config = GeneratorConfig()
        config.include = ["Transpose", "Neg"]
        let s = try differential(config, count: 100, label: "transpose chains")
        XCTAssertGreaterThan(s.changedBy["layout-simplification", default: 0], 20)
    }
}

/// Records which passes changed the model (an instrument sees the model after each pass).
final class ChangeLog: @unchecked Sendable {
    private var last: Model
    private(set) var changed: Set<String> = []
    private let lock = NSLock()

    init(_ model: Model) { last = model }

    func record(_ pass: String, _ ir: PassIR) {
        guard case .graph(let model) = ir else { return }
        lock.lock()
        defer { lock.unlock() }
        if model != last { changed.insert(pass) }
        last = model
    }
}
