import ModelIR
import Reference
import SpecLang
import SpecLib
import TensorCore

/// The model under construction: nodes in topological order, placeholders (runtime inputs) and weights.
struct GraphBuilder {
    let config: GeneratorConfig
    let steering: [String: BinSteering]
    var nodes: [Node] = []
    /// The instance of each node, in the same order: what the feasibility check evaluates.
    var instances: [OpInstance] = []
    var placeholders: [ValueInfo] = []
    var weights: [Weight] = []
    var types: [String: TensorType] = [:]
    /// Value names in creation order (a deterministic order without sorting).
    var order: [String] = []
    var consumers: [String: Int] = [:]
    var opCounts: [String: Int] = [:]
    /// The operator that produced each node output, and the producer-to-consumer pairs made so far.
    var producers: [String: String] = [:]
    var pairCounts: [String: Int] = [:]
    /// With a feasibility check: every value of the model so far in a state where all are finite and in their domains.
    var witness: [String: Tensor] = [:]
    private var counter = 0

    init(config: GeneratorConfig, steering: [String: BinSteering] = [:]) {
        self.config = config
        self.steering = steering
    }

    mutating func freshName() -> String {
        defer { counter += 1 }
        return "v\(counter)"
    }

    /// Operators used less in this model are more likely, so a model mixes many kinds.
    func chooseOperator(_ ops: [OpSpec], _ rng: inout SeededRNG) -> OpSpec {
        let weights = opCounts.isEmpty ? [Double](repeating: 1, count: ops.count) : ops.map { 1.0 / Double(1 + 2 * opCounts[$0.name, default: 0]) }
        var x = rng.double(in: 0, weights.reduce(0, +))
        for k in ops.indices {
            x -= weights[k]
            if x < 0 { return ops[k] }
        }
        return ops[ops.count - 1]
    }

    func request() -> SolverRequest { config.solverRequest(attempts: 2) }

    /// Solves `req`, now and then first with one attribute pinned to a bin drawn uniformly (`BinSteering`); a pin
    /// the given types cannot meet falls back to a free draw. The first operator is always steered: with no input
    /// given yet, every bin is within reach there.
    func solve(_ spec: OpSpec, _ solver: Solver, _ req: SolverRequest, _ rng: inout SeededRNG) -> OpInstance? {
        if nodes.isEmpty || rng.double(in: 0, 1) < config.steeringProbability, let (name, value) = steering[spec.name]?.pick(&rng) {
            var pinned = req
            pinned.fixedAttributes[name] = value
            pinned.attempts = max(req.attempts, 4)
            if let instance = solver.solve(pinned, using: &rng) { return instance }
        }
        return solver.solve(req, using: &rng)
    }

    /// Whether a port must be a constant drawn inside its value domain: an integer input with a `domain`,
    /// where a value outside it is an error (division by zero, an index out of range), not just NaN.
    static func needsConstant(_ port: PortDecl, _ type: TensorType, of spec: OpSpec) -> Bool {
        !type.dtype.isFloat && spec.file.domains.contains { $0.tensor == port.name }
    }

    /// Whether a declared shape can have `rank` dims: at least its single-dim items, exactly so without groups.
    static func rankFits(_ items: [IndexItem], _ rank: Int) -> Bool {
        let fixed = items.filter { !$0.isSplice }.count
        return items.count == fixed ? rank == fixed : rank >= fixed
    }

    /// The (dtype, rank) kinds of the values so far, for a quick test of which operators can consume one.
    var kinds: Set<ValueKind> = []

    /// Whether some existing value could be the operator's first runtime input (by dtype and rank).
    func canFeed(_ port: FirstInput?) -> Bool {
        guard let port else { return true }
        return kinds.contains { port.dtypes.contains($0.dtype) && $0.rank >= port.minRank && (port.exact == false || $0.rank == port.minRank) }
    }

    /// Values a port could consume: its dtype allowed, a rank its shape can take, within the limits.
    func candidates(for k: Int, of spec: OpSpec) -> [String] {
        let port = spec.inputs[k]
        let hasDomain = spec.file.domains.contains { $0.tensor == port.name }
        // With a kernel table, only dtypes some kernel takes at this position.
        let kernelDTypes = config.kernels?.inputDTypes[spec.name]?[k]
        let allowed = spec.allowedDTypes(port).filter { ($0.isFloat || !hasDomain) && (kernelDTypes?.contains($0) ?? true) }
        return order.filter { name in
            let t = types[name]!
            return allowed.contains(t.dtype) && t.rank <= config.maxRank && Self.rankFits(port.shape, t.rank)
        }
    }

    mutating func insertForward(_ spec: OpSpec, _ solver: Solver, _ rng: inout SeededRNG) -> Bool {
        var req = request()
        var chosen: [Int: String] = [:]
        let inputPorts = spec.inputs.indices.filter { spec.inputs[$0].role == .input }
        for (n, k) in inputPorts.enumerated() {
            let options = candidates(for: k, of: spec)
            guard !options.isEmpty else { continue }
            // The first input prefers a value nobody consumes yet, which keeps the graph one piece.
            let placeholderNames = Set(placeholders.map(\.name))
            let fresh = options.filter { consumers[$0, default: 0] == 0 && !placeholderNames.contains($0) }
            if n == 0 {
                var pool = !fresh.isEmpty && rng.int(in: 0...9) < 7 ? fresh : options
                // Favour values whose producer has not fed this operator yet in the model: new pairs.
                let newPairs = pool.filter { pairCounts["\(producers[$0] ?? "")->\(spec.name)"] == nil }
                if !newPairs.isEmpty && rng.bool() { pool = newPairs }
                chosen[k] = pool[rng.int(in: 0...(pool.count - 1))]
            } else if rng.int(in: 0...9) < 4 {
                chosen[k] = options[rng.int(in: 0...(options.count - 1))]
            }
        }
        if !types.isEmpty && chosen.isEmpty && !inputPorts.isEmpty { return false }
        for (k, name) in chosen { req.fixedInputs[k] = types[name]! }
        guard let instance = solve(spec, solver, req, &rng) else { return false }
        add(instance, consuming: chosen, replacing: nil, &rng)
        return true
    }

    mutating func insertBackward(_ spec: OpSpec, _ solver: Solver, _ rng: inout SeededRNG) -> Bool {
        // Only placeholders the operator's first output could have the dtype of (a cheap test before solving).
        let out = spec.outputs[0]
        let attributeTyped = spec.attribute(out.type.name) != nil
        let fits = placeholders.filter {
            (attributeTyped || spec.allowedDTypes(out).contains($0.type.dtype)) && Self.rankFits(out.shape, $0.type.rank)
        }
        guard !fits.isEmpty else { return false }
        let p = fits[rng.int(in: 0...(fits.count - 1))]
        var req = request()
        req.fixedOutput = (0, p.type)
        // Matching a given output often fails; fail fast and let another operator try.
        req.attempts = 2
        guard let instance = solve(spec, solver, req, &rng) else { return false }
        add(instance, consuming: [:], replacing: p.name, &rng)
        return true
    }

    /// Adds a node for `instance`; free inputs become new placeholders, free weights new constants.
    /// With `replacing`, the node's first output takes over a placeholder and goes first in the order.
    mutating func add(_ instance: OpInstance, consuming chosen: [Int: String], replacing: String?, _ rng: inout SeededRNG) {
        let spec = instance.spec
        // Node input p is declared input present[p] (an absent optional input has no node input).
        let present = spec.inputs.indices.filter { instance.isPresent(spec.inputs[$0].name) }
        let constants = present.indices.filter { p in
            let k = present[p]
            return chosen[k] == nil && (spec.inputs[k].role == .weight || Self.needsConstant(spec.inputs[k], instance.inputTypes[p], of: spec))
        }
        let values = DomainInputs.sample(for: instance, ports: constants, using: &rng, range: 1, floatDomains: false)
        var inputs: [String] = []
        var newPlaceholders: [ValueInfo] = []
        for (p, k) in present.enumerated() {
            let port = spec.inputs[k], type = instance.inputTypes[p]
            if let name = chosen[k] {
                inputs.append(name)
            } else if port.role == .weight || Self.needsConstant(port, type, of: spec) {
                let name = freshName()
                weights.append(Weight(name, values[p]!))
                types[name] = type
                order.append(name)
                inputs.append(name)
            } else {
                let name = freshName()
                newPlaceholders.append(ValueInfo(name, type))
                types[name] = type
                order.append(name)
                kinds.insert(ValueKind(dtype: type.dtype, rank: type.rank))
                inputs.append(name)
            }
        }
        var outputs: [ValueInfo] = []
        for (k, type) in instance.outputTypes.enumerated() {
            let name = k == 0 && replacing != nil ? replacing! : freshName()
            outputs.append(ValueInfo(name, type))
            if types[name] == nil { order.append(name) }
            types[name] = type
            kinds.insert(ValueKind(dtype: type.dtype, rank: type.rank))
        }
        for name in inputs { consumers[name, default: 0] += 1 }
        let node = Node(op: spec.name, inputs: inputs, outputs: outputs, attributes: instance.attributes)
        if let replaced = replacing {
            placeholders.removeAll { $0.name == replaced }
            nodes.insert(node, at: 0)
            instances.insert(instance, at: 0)
        } else {
            nodes.append(node)
            instances.append(instance)
        }
        placeholders += newPlaceholders
        opCounts[spec.name, default: 0] += 1
        for name in inputs { if let p = producers[name] { pairCounts["\(p)->\(spec.name)", default: 0] += 1 } }
        for o in outputs { producers[o.name] = spec.name }
    }

    /// The finished model: every value nobody consumes is an output.
    func finish(_ rng: inout SeededRNG) -> Model {
        let outputs = nodes.flatMap(\.outputs).map(\.name).filter { consumers[$0, default: 0] == 0 }
        let used = Set(nodes.flatMap(\.inputs))
        return Model(inputs: placeholders.filter { used.contains($0.name) }, weights: weights.filter { used.contains($0.name) },
                     nodes: nodes, outputs: outputs)
    }
}
