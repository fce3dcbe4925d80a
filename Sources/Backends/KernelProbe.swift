import Foundation
import Generator
import ModelIR
import Reference
import SpecLib
import TensorCore

/// Finds which instances of each operator a backend has kernels for: dtype signatures first, then, per
/// signature, which bins of each attribute run (a kernel may exist for some attribute values only, e.g. an
/// operator onnxruntime expands into a function whose body has no kernel for one of its forms).
///
/// Every probe runs on each of `runtimes`: for an outside compiler, the backend exporting at each operator's own
/// opset (of its spec's first `onnx` line that maps it) and at the highest opset of the specs (capped at the
/// backend's ceiling), since a generated model takes the highest opset of its operators, and a frontend may read
/// an operator differently at different opsets (onnxruntime expands some operators into their ONNX function body
/// at some model opsets only).
public struct KernelProbe: Sendable {
    /// Makes the backends an instance must run on; called once per probing thread, so each thread has its own
    /// worker processes.
    public let runtimes: @Sendable () -> [any Backend]
    /// Random instances per dtype, and tries per attribute bin.
    public let samples: Int
    public let maxRank: Int

    public init(runtimes: @escaping @Sendable () -> [any Backend], samples: Int, maxRank: Int) {
        self.runtimes = runtimes
        self.samples = samples
        self.maxRank = maxRank
    }

    /// The backends to probe `name` with: an outside compiler at the two ends of the opsets a generated model can
    /// have, the in-repo compiler as it is. Nil when the registry has no such backend.
    public static func runtimes(_ name: String, registry: BackendRegistry, library: SpecLibrary,
                                timeout: Double = 60) -> (@Sendable () -> [any Backend])? {
        switch registry.entry(name) {
        case nil:
            return nil
        case .compiler:
            return { [registry.make(name, library: library)!] }
        case .external(let adapter):
            let highest = library.operators.flatMap { $0.file.onnxMappings.map(\.opset) }.max() ?? 1
            let host = registry.host
            return {
                let own = ExternalBackend(adapter: adapter, library: library, host: host, timeout: timeout)
                let ceiling = own.capabilities.maxOpset.map { min($0, highest) } ?? highest
                let top = ExternalBackend(adapter: adapter, library: library, host: host, timeout: timeout, minimumOpset: ceiling)
                return [own, top]
            }
        }
    }

    /// The table of every operator's kernels, probing the operators on `jobs` threads (each with its own
    /// runtimes); `step` runs after each operator. The table does not depend on `jobs`: each operator is probed
    /// with its own seeded generator, and the tables are joined in the operators' order.
    public func table(of operators: [OpSpec], jobs: Int = 1, step: @escaping @Sendable () -> Void = {}) -> KernelTable {
        let parts = PartTables(count: operators.count)
        let next = Counter()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, operators.count)) {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                let backends = runtimes()
                while let k = next.take(below: operators.count) {
                    var rng = SeededRNG(seed: 17)
                    var table = KernelTable()
                    probe(operators[k], on: backends, into: &table, &rng)
                    parts.set(k, table)
                    step()
                }
            }
        }
        group.wait()
        var table = KernelTable()
        for part in parts.all { table.merge(part) }
        return table
    }

    enum Outcome { case runs, noKernel, otherFailure }

    /// Whether every runtime runs a one-node model of `instance`.
    func outcome(_ instance: OpInstance, on runtimes: [any Backend], _ rng: inout SeededRNG) -> Outcome {
        let (model, inputs) = OneNodeModel.make(instance, DomainInputs.sample(for: instance, using: &rng))
        for runtime in runtimes {
            do {
                _ = try runtime.run(model, inputs: inputs)
            } catch let e as BackendError where e.kind == .unsupported {
                return .noKernel
            } catch let e as BackendError where e.kind != .error {
                return .otherFailure
            } catch {
                // The kernel exists; this instance failed for another reason (a finding, not a gap).
                continue
            }
        }
        return .runs
    }

    /// Adds the operator's kernels to `table`.
    func probe(_ spec: OpSpec, on runtimes: [any Backend], into table: inout KernelTable, _ rng: inout SeededRNG) {
        var runs: Set<String> = [], seen: Set<String> = []
        var passed: [String: [String: Set<String>]] = [:]
        for dtype in DType.allCases {
            for _ in 0..<samples {
                guard let instance = InstanceSampler(spec: spec, preferring: [dtype]).sample(using: &rng) else { continue }
                let signature = KernelSignature.of(instance)
                seen.insert(signature)
                if runs.contains(signature) { continue }
                if outcome(instance, on: runtimes, &rng) == .runs {
                    runs.insert(signature)
                    record(instance, in: &passed[signature, default: [:]])
                }
            }
        }
        // A signature that failed as sampled may still run with other attribute values: probe its bins too.
        for signature in seen.sorted() where runs.contains(signature) || !spec.attributes.isEmpty {
            var failed: [String: Set<String>] = [:]
            probeBins(spec, signature, on: runtimes, tries: runs.contains(signature) ? samples : 1, passed: &passed[signature, default: [:]], failed: &failed, &rng)
            guard runs.contains(signature) || !(passed[signature] ?? [:]).isEmpty else { continue }
            let ok = passed[signature] ?? [:]
            // Restrict only attributes with a bin that never ran; then only the bins that did run are allowed.
            let restricted = failed.filter { name, bins in !bins.subtracting(ok[name] ?? []).isEmpty }
            table.add(spec.name, signature, restrictions: Dictionary(uniqueKeysWithValues: restricted.keys.map { ($0, ok[$0] ?? []) }))
        }
    }

    /// Pins each bin of each attribute in turn (the signature's dtypes fixed) and records which run.
    private func probeBins(_ spec: OpSpec, _ signature: String, on runtimes: [any Backend], tries: Int, passed: inout [String: Set<String>],
                           failed: inout [String: Set<String>], _ rng: inout SeededRNG) {
        let solver = Solver(spec: spec)
        for decl in spec.attributes {
            for bin in AttributeBins.all(decl, maxRank: maxRank).sorted() where !(passed[decl.name]?.contains(bin) ?? false) {
                let values = AttributeBins.representatives(decl, bin: bin, maxRank: maxRank)
                guard !values.isEmpty else { continue }
                for k in 0..<tries {
                    var request = SolverRequest()
                    request.fixedAttributes = [decl.name: values[k % values.count]]
                    request.kernelFilter = { KernelSignature.of($0) == signature }
                    request.maxElements = 4096
                    request.maxRank = maxRank
                    request.attempts = 8
                    guard let instance = solver.solve(request, using: &rng) else { continue }
                    let result = outcome(instance, on: runtimes, &rng)
                    if result == .runs {
                        record(instance, in: &passed)
                        break
                    }
                    if result == .noKernel { failed[decl.name, default: []].insert(bin) }
                }
            }
        }
    }

    /// Notes the bin of every attribute of an instance that ran.
    private func record(_ instance: OpInstance, in bins: inout [String: Set<String>]) {
        for decl in instance.spec.attributes {
            if let value = instance.attributes[decl.name] { bins[decl.name, default: []].insert(AttributeBins.bin(value, decl)) }
        }
    }
}

/// The per-operator tables of a probe, filled by several threads.
private final class PartTables: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [KernelTable]
    init(count: Int) { tables = Array(repeating: KernelTable(), count: count) }
    func set(_ k: Int, _ table: KernelTable) { lock.lock(); tables[k] = table; lock.unlock() }
    var all: [KernelTable] { lock.lock(); defer { lock.unlock() }; return tables }
}

/// Hands out 0, 1, 2, ... to several threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take(below n: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < n else { return nil }
        next += 1
        return next - 1
    }
}
