import Dispatch
import Foundation
import Generator
import InputSearch
import SpecLib

/// The compiler's acceptance measurement (`bench differential`): generated models through the VM and native code at
/// every level against the reference, with exact counts.
///
/// Model k has seed `seed + k`. Models go in batches of `batch` (the native code of a batch is one C file and one
/// compiler run), shared out over `jobs` threads.
public struct DifferentialBenchmark: Sendable {
    public var library: SpecLibrary
    /// Models to generate, and how many of them (the first) also run natively.
    public var models: Int
    public var nativeModels: Int
    public var seed: UInt64
    /// Operators per model.
    public var nodes: Int
    public var batch: Int
    public var jobs: Int
    /// The C compiler's optimization flag (`-O1`).
    public var ccOpt: String

    public init(library: SpecLibrary, models: Int, nativeModels: Int, seed: UInt64, nodes: Int, batch: Int, jobs: Int, ccOpt: String) {
        self.library = library
        self.models = models
        self.nativeModels = min(models, nativeModels)
        self.seed = seed
        self.nodes = nodes
        self.batch = batch
        self.jobs = jobs
        self.ccOpt = ccOpt
    }

    /// Runs every batch. Every 20th batch, `progress` gets the models handed out so far and the totals (from the
    /// worker threads, one call at a time).
    public func run(progress: @escaping @Sendable (Int, DifferentialSummary) -> Void = { _, _ in }) -> DifferentialSummary {
        let start = Date()
        let total = Locked(DifferentialSummary())
        let batches = stride(from: 0, to: models, by: batch).map { $0..<min(models, $0 + batch) }
        let next = Locked(0)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            guard let generator = try? GenerationSettings(nodes: nodes).generator(library: library) else { return }
            while true {
                let k = next.update { n in defer { n += 1 }; return n }
                guard k < batches.count else { return }
                let part = DifferentialBatch(library: library, generator: generator, seeds: batches[k].map { seed &+ UInt64($0) },
                                             nativeCount: max(0, min(batches[k].count, nativeModels - batches[k].lowerBound)), ccOpt: ccOpt).run()
                total.update { t in
                    t.merge(part)
                    if k % 20 == 19 { progress(min(models, (k + 1) * batch), t) }
                }
            }
        }
        var summary = total.value
        summary.models = models
        summary.nativeModels = nativeModels
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}

/// What `bench differential` counts: per configuration (`vm-O2`, `native-O3`), runs, mismatches, errors and runs
/// bit-identical to the reference; models compared and skipped (no valid test); the first few failures.
public struct DifferentialSummary: Encodable, Sendable {
    public var models = 0, compared = 0, skipped = 0, nativeModels = 0
    public var runs: [String: Int] = [:], mismatches: [String: Int] = [:], errors: [String: Int] = [:], bitIdentical: [String: Int] = [:]
    public var examples: [String] = []
    public var seconds = 0.0

    public init() {}

    /// Totals so far, on one line (a run cut short still reports exact counts).
    public var counts: String {
        "\(compared) compared, \(runs.values.reduce(0, +)) runs, \(mismatches.values.reduce(0, +)) mismatches, \(errors.values.reduce(0, +)) errors"
    }

    mutating func merge(_ o: Self) {
        compared += o.compared
        skipped += o.skipped
        runs.merge(o.runs, uniquingKeysWith: +)
        mismatches.merge(o.mismatches, uniquingKeysWith: +)
        errors.merge(o.errors, uniquingKeysWith: +)
        bitIdentical.merge(o.bitIdentical, uniquingKeysWith: +)
        examples += o.examples.prefix(max(0, 10 - examples.count))
    }
}

/// A value shared by worker threads.
final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    @discardableResult func update<R>(_ f: (inout T) -> R) -> R { lock.withLock { f(&stored) } }
}
