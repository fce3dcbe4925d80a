import Backends
import Reference
import SpecLib
import TensorCore

/// Samples the instances of one operator and runs every `OpCheck` on each, in order (a failed check skips the
/// rest for that instance).
///
/// Instance k depends only on the seed, the operator's name and k, so a failure reproduces with the same seed
/// whatever the count is.
public struct SpecTester {
    public let library: SpecLibrary
    public let spec: OpSpec
    public let seed: UInt64
    public let onnxruntime: ExternalBackend?
    /// The backends of `--backend` (`OpCheck.backends`).
    public var backends: [NamedBackend] = []
    /// See `OpCheck.nativeEvery`: 1 for named operators, a sample with `--all`.
    public var nativeEvery = 1
    /// The checks run on every instance, in order.
    public var checks = OpCheck.all

    public init(library: SpecLibrary, spec: OpSpec, seed: UInt64, onnxruntime: ExternalBackend?, nativeEvery: Int = 1) {
        self.library = library
        self.spec = spec
        self.seed = seed
        self.onnxruntime = onnxruntime
        self.nativeEvery = nativeEvery
    }

    /// One instance that failed: its number, the check (or `sample`), what the instance was, and why.
    public struct Failure: Sendable {
        public var index: Int
        public var check: String
        public var instance: String
        public var reason: String
    }

    /// What the instances of one operator gave.
    public struct Result: Sendable {
        public var op: String
        public var count: Int
        public var failures: [Failure]
        /// How many instances each check did not apply to.
        public var skipped: [String: Int] = [:]
    }

    /// The largest estimated reference work of an instance (`WorkEstimate`): the checks run an instance on the
    /// reference, the VM, native code and onnxruntime, and the gradient check evaluates it again per probe.
    public static let maxWork = 1 << 18

    /// Checks instances 0..<count.
    public func run(count: Int) -> Result {
        let base = SeededRNG(seed: seed).split(Self.stableHash(spec.name))
        var result = Result(op: spec.name, count: count, failures: [])
        for k in 0..<count {
            var rng = base.split(UInt64(k))
            if let f = check(index: k, &rng, &result.skipped) { result.failures.append(f) }
        }
        return result
    }

    private func check(index: Int, _ rng: inout SeededRNG, _ skipped: inout [String: Int]) -> Failure? {
        let instance: OpInstance
        var sampler = InstanceSampler(spec: spec)
        sampler.workLimit = (Self.maxWork, { WorkEstimate.node($0).operations })
        switch sampler.sampleOrExplain(using: &rng) {
        case .success(let i): instance = i
        case .failure(let e): return Failure(index: index, check: "sample", instance: spec.name, reason: "no valid instance: \(e.message)")
        }
        var c = CheckCase(library: library, instance: instance, inputs: DomainInputs.sample(for: instance, using: &rng))
        c.onnxruntime = onnxruntime
        c.backends = backends
        c.index = index
        c.nativeEvery = nativeEvery
        defer { for s in c.skipped { skipped[s, default: 0] += 1 } }
        for check in checks {
            do {
                try check.run(&c)
            } catch {
                return Failure(index: index, check: check.name, instance: Self.describe(instance), reason: "\(error)")
            }
        }
        return nil
    }

    /// One instance for messages: `Softmax(X: f32[2, 3]) {axis = 0}`.
    public static func describe(_ i: OpInstance) -> String {
        let inputs = zip(i.inputPorts, i.inputTypes).map { "\($0.name): \($1)" }.joined(separator: ", ")
        let attrs = i.attributes.keys.sorted().map { "\($0) = \(i.attributes[$0]!)" }.joined(separator: ", ")
        return "\(i.name)(\(inputs))" + (attrs.isEmpty ? "" : " {\(attrs)}")
    }

    /// FNV-1a of the name: the same on every machine and run (unlike `hashValue`).
    static func stableHash(_ s: String) -> UInt64 {
        s.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}

/// `specs test` over several operators: each operator's instances through every check, and the totals.
public struct SpecTestRun {
    public var library: SpecLibrary
    public var operators: [OpSpec]
    /// Instances per operator, and the seed of every random choice.
    public var count: Int
    public var seed: UInt64
    /// onnxruntime for the `onnxruntime` check (nil: the check does nothing).
    public var onnxruntime: ExternalBackend?
    /// See `OpCheck.nativeEvery`.
    public var nativeEvery: Int
    /// The backends of `--backend`, each compared with the reference on every instance.
    public var backends: [NamedBackend] = []
    /// The checks run on every instance, in order.
    public var checks = OpCheck.all

    public init(library: SpecLibrary, operators: [OpSpec], count: Int, seed: UInt64, onnxruntime: ExternalBackend?, nativeEvery: Int) {
        self.library = library
        self.operators = operators
        self.count = count
        self.seed = seed
        self.onnxruntime = onnxruntime
        self.nativeEvery = nativeEvery
    }

    /// Instances checked, operators with a failure, and failed instances over every operator.
    public struct Totals: Sendable {
        public var instances = 0
        public var failedOperators = 0
        public var failedInstances = 0
        /// How many instances each check did not apply to, over every operator.
        public var skipped: [String: Int] = [:]
    }

    /// Tests every operator in order, handing each operator's result to `each` as soon as it is done.
    public func run(_ each: (SpecTester.Result) -> Void) -> Totals {
        var totals = Totals()
        for spec in operators {
            var tester = SpecTester(library: library, spec: spec, seed: seed, onnxruntime: onnxruntime, nativeEvery: nativeEvery)
            tester.backends = backends
            tester.checks = checks
            let result = tester.run(count: count)
            each(result)
            totals.instances += count
            totals.skipped.merge(result.skipped, uniquingKeysWith: +)
            if !result.failures.isEmpty {
                totals.failedOperators += 1
                totals.failedInstances += result.failures.count
            }
        }
        return totals
    }
}
