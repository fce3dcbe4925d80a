import Generator
import ModelIR
import Reference
import SpecLib
import TensorCore

/// Finds which instances of each operator a backend has kernels for: dtype signatures first, then, per
/// signature, which bins of each attribute run (a kernel may exist for some attribute values only, e.g. an
/// operator onnxruntime expands into a function whose body has no kernel for one of its forms).
///
/// Every probe runs on each of `runtimes`. For onnxruntime these are the instance's own opset (of its spec's first
/// `onnx` line that maps it) and the highest
/// opset of the specs, since a generated model takes the highest opset of its operators, and onnxruntime's
/// fallback of expanding an operator into its ONNX function body exists for some model opsets only.
public struct KernelProbe {
    /// The backends an instance must run on: for onnxruntime, exporting at the operator's own opset and at the
    /// specs' highest (see `onnxruntime(library:)`).
    public let runtimes: [any Backend]
    /// Random instances per dtype, and tries per attribute bin.
    public let samples: Int
    public let maxRank: Int

    public init(runtimes: [any Backend], samples: Int, maxRank: Int) {
        self.runtimes = runtimes
        self.samples = samples
        self.maxRank = maxRank
    }

    /// onnxruntime exporting at each operator's own opset and at the highest opset of the specs: the two ends of the
    /// opsets a generated model can have.
    public static func onnxruntime(library: SpecLibrary) -> [ExternalBackend] {
        let highest = library.operators.flatMap { $0.file.onnxMappings.map(\.opset) }.max() ?? 1
        return [ExternalBackend.onnxruntime(library: library), ExternalBackend.onnxruntime(library: library, minimumOpset: highest)]
    }

    /// The table of every operator's kernels, probing the operators in order; `step` runs after each.
    public func table(of operators: [OpSpec], step: () -> Void = {}) -> KernelTable {
        var table = KernelTable()
        for spec in operators {
            var rng = SeededRNG(seed: 17)
            probe(spec, into: &table, &rng)
            step()
        }
        return table
    }

    enum Outcome { case runs, noKernel, otherFailure }

    /// Whether every runtime runs a one-node model of `instance`.
    func outcome(_ instance: OpInstance, _ rng: inout SeededRNG) -> Outcome {
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
    func probe(_ spec: OpSpec, into table: inout KernelTable, _ rng: inout SeededRNG) {
        var runs: Set<String> = [], seen: Set<String> = []
        var passed: [String: [String: Set<String>]] = [:]
        for dtype in DType.allCases {
            for _ in 0..<samples {
                guard let instance = InstanceSampler(spec: spec, preferring: [dtype]).sample(using: &rng) else { continue }
                let signature = KernelSignature.of(instance)
                seen.insert(signature)
                if runs.contains(signature) { continue }
                if outcome(instance, &rng) == .runs {
                    runs.insert(signature)
                    record(instance, in: &passed[signature, default: [:]])
                }
            }
        }
        // A signature that failed as sampled may still run with other attribute values: probe its bins too.
        for signature in seen.sorted() where runs.contains(signature) || !spec.attributes.isEmpty {
            var failed: [String: Set<String>] = [:]
            probeBins(spec, signature, tries: runs.contains(signature) ? samples : 1, passed: &passed[signature, default: [:]], failed: &failed, &rng)
            guard runs.contains(signature) || !(passed[signature] ?? [:]).isEmpty else { continue }
            let ok = passed[signature] ?? [:]
            // Restrict only attributes with a bin that never ran; then only the bins that did run are allowed.
            let restricted = failed.filter { name, bins in !bins.subtracting(ok[name] ?? []).isEmpty }
            table.add(spec.name, signature, restrictions: Dictionary(uniqueKeysWithValues: restricted.keys.map { ($0, ok[$0] ?? []) }))
        }
    }

    /// Pins each bin of each attribute in turn (the signature's dtypes fixed) and records which run.
    private func probeBins(_ spec: OpSpec, _ signature: String, tries: Int, passed: inout [String: Set<String>],
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
                    let result = outcome(instance, &rng)
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
