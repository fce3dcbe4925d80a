import Campaign
import Compiler
import Foundation
import LoopIR
import ModelIR
import Oracle
import Reference
import SpecLib
import TensorCore

/// Shrinks a finding's test while it still fails the same way: fewer operators, simpler attributes and inputs,
/// and the fewest compiler passes. Every candidate runs in a worker process, so a crashing candidate cannot stop
/// the reducer.
///
/// A candidate *still fails the same way* when it has the finding's verdict and stage, fails on at least one of the
/// finding's backends, and (crashes and hangs) has the same masked message; the operator class may change as
/// operators are removed, so the full fingerprint is not required.
public final class Reducer {
    public let library: SpecLibrary
    let record: FindingRecord
    var config: CampaignConfig
    let worker: TestWorker
    let scratch: String
    let deadline: Date
    /// The current test and every value of it on the reference.
    public private(set) var model: Model
    public private(set) var inputs: [String: Tensor]
    var values: [String: Tensor]
    /// The last report of a candidate that still failed.
    public private(set) var lastFailure: TestReport?
    public private(set) var steps: [ReductionStep] = []
    private var candidates = 0

    public init(folder: String, record: FindingRecord, config: CampaignConfig, library: SpecLibrary, worker: TestWorker,
                scratch: String, timeLimit: Double) throws {
        self.library = library
        self.record = record
        self.config = config
        self.worker = worker
        self.scratch = scratch
        self.deadline = Date().addingTimeInterval(timeLimit)
        (model, inputs) = try Staging.readTest(folder, library: library)
        values = try Interpreter.run(model, library: library, inputs: inputs)
    }

    var timeLeft: Bool { Date() < deadline }

    /// Runs every step in order; returns false when the original test no longer fails (nothing to reduce).
    public func reduce(progress: (String) -> Void = { _ in }) throws -> Bool {
        guard try stillFails(model, inputs, config) else { return false }
        try step("cut the graph (delta debugging over operators)", progress) { try ddmin() }
        try step("remove single operators", progress) { try removeEach() }
        try step("bypass single operators", progress) { try bypassEach(); try removeEach() }
        try step("smaller shapes", progress) { try shrinkShapes() }
        try step("attributes to their defaults", progress) { try simplifyAttributes() }
        try step("simpler input values", progress) { try simplifyInputs() }
        try step("pass bisection", progress) { try bisectPasses() }
        return true
    }

    private func step(_ name: String, _ progress: (String) -> Void, _ body: () throws -> Void) throws {
        let start = Date(), before = candidates
        if timeLeft { try body() }
        steps.append(ReductionStep(name: name, operators: model.nodes.count, elements: Subgraph.elements(model),
                                   candidates: candidates - before, seconds: Date().timeIntervalSince(start)))
        progress("\(name): \(model.nodes.count) operators, \(Subgraph.elements(model)) elements (\(candidates - before) candidates)")
    }

    /// Tries a candidate; on success it becomes the current test.
    @discardableResult
    func accept(_ m: Model, _ ins: [String: Tensor], _ cfg: CampaignConfig? = nil) throws -> Bool {
        guard timeLeft, try stillFails(m, ins, cfg ?? config) else { return false }
        model = m
        inputs = ins
        if let c = cfg { config = c }
        values = try Interpreter.run(m, library: library, inputs: ins)
        return true
    }

    /// Writes the candidate to a scratch folder and runs it in the worker.
    func stillFails(_ m: Model, _ ins: [String: Tensor], _ cfg: CampaignConfig) throws -> Bool {
        candidates += 1
        let folder = "\(scratch)/candidate"
        try Staging.write(model: m, inputs: ins, config: cfg, to: folder)
        let report = try worker.run(folder: folder, index: record.test, seed: record.testSeed, timeout: cfg.testTimeout)
        guard sameFailure(report) else { return false }
        lastFailure = report
        return true
    }

    func sameFailure(_ r: TestReport) -> Bool {
        guard r.verdict == record.verdict, r.stage == record.stage, !Set(r.backends).isDisjoint(with: record.backends) else { return false }
        if r.verdict == .crash || r.verdict == .hang {
            return Fingerprint.messageClass(r.message) == Fingerprint.messageClass(record.message)
                || r.fingerprint?.messageClass == record.fingerprint.messageClass
        }
        return true
    }

    /// Classic ddmin over the node set: try halves, then complements, refining the granularity.
    func ddmin() throws {
        var n = 2
        while model.nodes.count >= 2, timeLeft {
            let all = Array(model.nodes.indices)
            let chunks = split(all, into: min(n, all.count))
            var reduced = false
            for chunk in chunks where try tryKeep(Set(chunk)) { n = 2; reduced = true; break }
            if !reduced && chunks.count > 2 {
                for chunk in chunks where try tryKeep(Set(all).subtracting(chunk)) { n = max(n - 1, 2); reduced = true; break }
            }
            if !reduced {
                if n >= all.count { break }
                n = min(all.count, n * 2)
            }
        }
    }

    func removeEach() throws {
        var i = model.nodes.count - 1
        while i >= 0, model.nodes.count > 1, timeLeft {
            _ = try tryKeep(Set(model.nodes.indices).subtracting([i]))
            i = min(i - 1, model.nodes.count - 1)
        }
    }

    private func tryKeep(_ keep: Set<Int>) throws -> Bool {
        guard !keep.isEmpty, keep.count < model.nodes.count else { return false }
        let sub = Subgraph(model, keep: keep, values: values)
        return try accept(sub.model, sub.inputs)
    }

    private func split(_ xs: [Int], into n: Int) -> [[Int]] {
        let size = (xs.count + n - 1) / n
        return stride(from: 0, to: xs.count, by: size).map { Array(xs[$0..<min($0 + size, xs.count)]) }
    }
}

/// One step of a reduction, for the report.
public struct ReductionStep: Codable, Sendable {
    public var name: String
    public var operators: Int
    public var elements: Int
    public var candidates: Int
    public var seconds: Double
}
