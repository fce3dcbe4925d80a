import SpecLang
import TensorCore

/// One attempt of the solver: the current value of every symbol and attribute, and the constraints over them.
struct SolverState {
    let spec: OpSpec
    let request: SolverRequest
    var ev = Evaluator()
    var attributes: [String: AttributeValue] = [:]
    /// Symbols and attributes the search may change.
    var variables: Set<String> = []
    /// Dims already in play (of fixed types), to draw free dims from so shapes line up.
    var pool: [Int] = []
    /// Shapes already in play, whose suffixes free shape groups copy.
    var shapes: [[Int]] = []
    var constraints: [SolverConstraint] = []

    init?(spec: OpSpec, request: SolverRequest, facts: SolverFacts, rng: inout SeededRNG) {
        self.spec = spec
        self.request = request
        ev.enumCases = spec.enumCases
        guard bindTypes(&rng), bindFixedInputs(&rng), bindFixedOutput(&rng) else { return nil }
        drawFreeSymbols(&rng)
        guard bindRanks() else { return nil }
        if !request.fixedAttributes.isEmpty { guard reachFixedRanges(&rng) else { return nil } }
        drawAttributes(&rng)
        constraints = SolverConstraint.all(for: self, facts)
        letDependencies = facts.letDependencies
    }

    /// Ranks come before attributes (whose ranges may use them); a single-dim item counts one whatever
    /// its expression (`C / group` needs an attribute not drawn yet). Inputs of a given type keep theirs.
    private mutating func bindRanks() -> Bool {
        for (k, port) in spec.inputs.enumerated() where request.fixedInputs[k] == nil {
            var rank = 0
            for item in port.shape {
                if !item.isSplice { rank += 1; continue }
                guard let v = try? ev.eval(item.expr).asVector() else { return false }
                rank += v.count
            }
            ev.ranks[port.name] = rank
        }
        return true
    }

    /// A given int attribute must lie in its declared range, which often depends on ranks (`axis` = 4 needs a
    /// rank-4 input): while it does not, free shape groups are redrawn with ranks uniform up to the limit,
    /// since the search changes dims but never ranks.
    private mutating func reachFixedRanges(_ rng: inout SeededRNG) -> Bool {
        let free = spec.groupSymbols.sorted().filter { variables.contains($0) }
        for _ in 0..<16 {
            if fixedRangesHold() { return true }
            if free.isEmpty { return false }
            for g in free {
                let n = rng.int(in: 0...max(request.maxRank, 0))
                ev.constants[g] = .vector((0..<n).map { _ in randomDim(&rng) })
            }
            guard bindRanks() else { return false }
        }
        return fixedRangesHold()
    }

    private func fixedRangesHold() -> Bool {
        request.fixedAttributes.allSatisfy { name, value in
            guard let decl = spec.attribute(name) else { return true }
            return SolverState.rangeViolation(decl, value, ev) == nil
        }
    }

    /// The first value of an int attribute outside its declared range under `ev` (nil when all lie inside, or
    /// the range cannot be evaluated yet). Every value lies outside an empty range (`0 .. rank(X) - 1` of a scalar).
    static func rangeViolation(_ decl: AttrDecl, _ value: AttributeValue?, _ ev: Evaluator) -> (value: Int, low: Int, high: Int)? {
        guard let r = decl.range, let lo = try? ev.eval(r.low).asInt(), let hi = try? ev.eval(r.high).asInt() else { return nil }
        let values: [Int]
        switch value {
        case .int(let v)? where decl.kind == .int: values = [v]
        case .ints(let xs)?: if case .ints = decl.kind { values = xs } else { return nil }
        default: return nil
        }
        return values.first { $0 < lo || $0 > hi }.map { ($0, lo, hi) }
    }

    // MARK: - Binding what is fixed

    private mutating func bindTypes(_ rng: inout SeededRNG) -> Bool {
        var dtypes: [String: DType] = [:]
        func bind(_ name: String, _ d: DType) -> Bool {
            if let allowed = spec.typeVariables[name] {
                guard allowed.contains(d), dtypes[name] == nil || dtypes[name] == d else { return false }
                dtypes[name] = d
                return true
            }
            if let fixed = DType(rawValue: name) { return fixed == d }
            // An output typed by a dtype attribute (Cast's `to`).
            attributes[name] = .dtype(d)
            ev.constants[name] = .dtype(d)
            return true
        }
        for (k, t) in request.fixedInputs { guard bind(spec.inputs[k].type.name, t.dtype) else { return false } }
        if let (k, t) = request.fixedOutput { guard bind(spec.outputs[k].type.name, t.dtype) else { return false } }
        for (name, allowed) in spec.typeVariables.sorted(by: { $0.key < $1.key }) where dtypes[name] == nil {
            let choices = request.allowedDTypes.isEmpty ? allowed : allowed.filter(request.allowedDTypes.contains)
            guard !choices.isEmpty else { return false }
            dtypes[name] = choices[rng.int(in: 0...(choices.count - 1))]
        }
        ev.dtypes = dtypes
        // Fixed dtypes (a bool output, an i64 index input) must pass the dtype filter too.
        guard !request.allowedDTypes.isEmpty else { return true }
        return spec.file.ports.allSatisfy { port in
            guard let d = dtypes[port.type.name] ?? DType(rawValue: port.type.name) else { return true }
            return request.allowedDTypes.contains(d)
        }
    }

    private mutating func bindFixedInputs(_ rng: inout SeededRNG) -> Bool {
        for (k, type) in request.fixedInputs.sorted(by: { $0.key < $1.key }) {
            let port = spec.inputs[k]
            ev.ranks[port.name] = type.rank
            pool += type.shape
            shapes.append(type.shape)
            guard bind(port.shape, type.shape, &rng) else { return false }
        }
        return true
    }

    private mutating func bindFixedOutput(_ rng: inout SeededRNG) -> Bool {
        guard let (k, type) = request.fixedOutput else { return true }
        pool += type.shape
        shapes.append(type.shape)
        return bind(spec.outputs[k].shape, type.shape, &rng)
    }

    /// Binds the plain symbols of a declared shape against a concrete one (a random split among groups).
    private mutating func bind(_ items: [IndexItem], _ shape: [Int], _ rng: inout SeededRNG) -> Bool {
        let groups = items.filter(\.isSplice).count
        let free = shape.count - (items.count - groups)
        let splits = OpSpec.compositions(max(free, 0), into: groups)
        guard free >= 0, !splits.isEmpty else { return false }
        let split = splits[rng.int(in: 0...(splits.count - 1))]
        var dim = 0, g = 0
        for item in items {
            let length = item.isSplice ? split[g] : 1
            if item.isSplice { g += 1 }
            let actual: Value = item.isSplice ? .vector(Array(shape[dim..<(dim + length)])) : .int(shape[dim])
            dim += length
            guard case .name(let n) = item.expr.kind, spec.dimSymbols.contains(n) || spec.groupSymbols.contains(n) else { continue }
            if let bound = ev.constants[n], bound != actual { return false }
            ev.constants[n] = actual
        }
        return true
    }

    // MARK: - Drawing what is free

    private mutating func drawFreeSymbols(_ rng: inout SeededRNG) {
        for g in spec.groupSymbols.sorted() where ev.constants[g] == nil {
            variables.insert(g)
            ev.constants[g] = randomGroup(&rng)
        }
        for d in spec.dimSymbols.sorted() where ev.constants[d] == nil {
            variables.insert(d)
            ev.constants[d] = .int(randomDim(&rng))
        }
    }

    private mutating func drawAttributes(_ rng: inout SeededRNG) {
        for (name, value) in request.fixedAttributes where spec.attribute(name) != nil { set(name, value.value) }
        // Only a permutation looks at the input shapes; they are all bound by now and stay so while attributes are drawn.
        let shapes = spec.attributes.contains { if case .perm = $0.kind { true } else { false } } ? inputShapes() : [:]
        for decl in spec.attributes where attributes[decl.name] == nil {
            variables.insert(decl.name)
            var value: AttributeValue?
            if decl.defaultValue != nil && rng.int(in: 0...3) == 0 { value = try? spec.resolveAttribute(decl, nil, ev) }
            if value == nil { value = AttributeDraw.draw(decl, ev, request, shapes: shapes, &rng) }
            if let value { set(decl.name, value.value) }
        }
    }

    /// The shapes of the inputs whose dims are all bound by now, by port name (for draws that look at a shape).
    func inputShapes() -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for port in spec.inputs {
            let parts = port.shape.map { item -> [Int]? in
                item.isSplice ? try? ev.eval(item.expr).asVector() : (try? ev.eval(item.expr).asInt()).map { [$0] }
            }
            if !parts.contains(where: { $0 == nil }) { out[port.name] = parts.flatMap { $0! } }
        }
        return out
    }

    func randomDim(_ rng: inout SeededRNG) -> Int {
        if !pool.isEmpty && rng.bool() { return pool[rng.int(in: 0...(pool.count - 1))] }
        return SolverState.smallDims[rng.int(in: 0...(SolverState.smallDims.count - 1))]
    }

    static let smallDims = [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 12, 16]
    /// The dims of a square group: more than 1 (else every permutation is the identity on values too), small
    /// enough that a deep square shape stays within the element limits.
    static let squareDims = [2, 3, 3, 4, 5, 6]

    /// A shape group: often a suffix of a shape in play (so broadcasting and matching shapes line up),
    /// else a fresh one; ranks 1 to 3 are most likely, 0 (a scalar) rarely. A fifth of the fresh ones have one
    /// dim on every axis: only there does a wrong permutation or a swapped axis keep the shape, so a layout bug
    /// that yields a tensor of the right shape with values in the wrong places passes every shape check.
    func randomGroup(_ rng: inout SeededRNG) -> Value {
        let wantEmpty = rng.int(in: 0...9) == 0
        if !shapes.isEmpty && rng.int(in: 0...4) < 3 {
            let s = shapes[rng.int(in: 0...(shapes.count - 1))]
            let n = wantEmpty || s.isEmpty ? 0 : rng.int(in: 1...min(s.count, request.maxRank))
            return .vector(Array(s.suffix(n)).map { rng.int(in: 0...5) == 0 ? 1 : $0 })
        }
        // Mostly ranks 1 to 3; now and then up to the limit, so high axes and deep shapes occur too.
        let top = rng.int(in: 0...9) == 0 ? max(request.maxRank, 1) : min(3, max(request.maxRank, 1))
        let n = wantEmpty ? 0 : rng.int(in: 1...top)
        if n >= 2 && rng.int(in: 0...4) == 0 {
            let d = SolverState.squareDims[rng.int(in: 0...(SolverState.squareDims.count - 1))]
            return .vector(Array(repeating: d, count: min(n, request.maxRank)))
        }
        return .vector((0..<min(n, request.maxRank)).map { _ in randomDim(&rng) })
    }

    // MARK: - Changing and checking

    mutating func set(_ name: String, _ value: Value) {
        ev.constants[name] = value
        guard let decl = spec.attribute(name) else { return }
        let written = AttributeDraw.attributeValue(value, decl)
        attributes[name] = written
        ev.constants[name] = spec.semanticValue(decl, written, ev)
    }

    /// Whether each constraint holds for the current values.
    var status: [Bool] = []
    /// For each `let`, the names it depends on.
    var letDependencies: [Set<String>] = []

    /// Indices of the constraints the current values break, re-evaluating only what depends on `changed`
    /// (everything when nil): a candidate value costs the constraints that mention its variable.
    mutating func violations(lets: [String: Expr], changed: String? = nil) -> [Int] {
        // Axes written in an unusual form read canonically once the ranks they count are known (they may change).
        for decl in spec.attributes {
            if case .axes = decl.kind, let written = attributes[decl.name] { ev.constants[decl.name] = spec.semanticValue(decl, written, ev) }
        }
        for (k, l) in spec.file.lets.enumerated() where changed == nil || letDependencies[k].contains(changed!) {
            ev.constants[l.name] = try? ev.eval(l.value)
        }
        if status.count != constraints.count { status = Array(repeating: false, count: constraints.count) }
        for k in constraints.indices where changed == nil || constraints[k].mentions.contains(changed!) {
            status[k] = constraints[k].holds(self)
        }
        return status.indices.filter { !status[$0] }
    }

    func constraintVariables(_ c: Int, lets: [String: Expr]) -> Set<String> { constraints[c].mentions }

    func candidates(for variable: String, _ rng: inout SeededRNG) -> [Value] {
        if let decl = spec.attribute(variable) { return AttributeDraw.repairCandidates(decl, ev, request, &rng) }
        if spec.groupSymbols.contains(variable) {
            var out: [Value] = [.vector([])]
            for s in shapes { for n in 1...max(1, min(s.count, request.maxRank)) where n <= s.count { out.append(.vector(Array(s.suffix(n)))) } }
            for _ in 0..<4 { out.append(randomGroup(&rng)) }
            return out
        }
        var dims = Set(1...8).union(pool.filter { $0 <= request.maxDim })
        for _ in 0..<3 { dims.insert(rng.int(in: 1...max(1, request.maxDim))) }
        return dims.sorted().map { .int($0) }
    }

    /// The instance of the current values, checked in full by instantiation.
    func instantiate() throws -> OpInstance {
        var types: [TensorType] = []
        let present = Set(spec.inputPorts(attributes: attributes).map(\.name))
        for (k, port) in spec.inputs.enumerated() where present.contains(port.name) {
            if let t = request.fixedInputs[k] { types.append(t); continue }
            let dtype = ev.dtypes[port.type.name] ?? DType(rawValue: port.type.name)!
            types.append(TensorType(dtype, try spec.concreteShape(port.shape, ev, port.name).0))
        }
        let instance = try spec.instantiate(inputs: types, attributes: attributes)
        if let (k, t) = request.fixedOutput, instance.outputTypes[k] != t {
            throw InstanceError(spec.name, "output \(instance.outputTypes[k]) is not the requested \(t)")
        }
        try checkRanges(instance)
        if let accepts = request.kernelFilter, !accepts(instance) {
            throw InstanceError(spec.name, "no kernel for \(KernelSignature.of(instance)) in the target runtime")
        }
        if let (limit, cost) = request.workLimit, case let work = cost(instance), work > limit {
            throw InstanceError(spec.name, "needs about \(work) scalar operations, over the limit of \(limit) per operator")
        }
        for t in instance.outputTypes where t.count > request.maxElements || t.rank > request.maxRank || t.shape.contains(0) {
            throw InstanceError(spec.name, "output \(t) is out of bounds")
        }
        return instance
    }

    /// Int attributes must lie in their declared range at the instance's final ranks: a value drawn in range can
    /// fall out of it when a rank it depends on changes later (`axis` of a rank-3 input = 3), and a given one
    /// (a steered bin, a probe) may not fit the ranks drawn. Instantiation itself does not check ranges, which
    /// are also drawing ranges for imported models.
    private func checkRanges(_ instance: OpInstance) throws {
        for decl in spec.attributes {
            if let bad = SolverState.rangeViolation(decl, instance.attributes[decl.name], instance.evaluator) {
                throw InstanceError(spec.name, "attribute '\(decl.name)' = \(bad.value) is outside \(bad.low)..\(bad.high)")
            }
        }
    }
}
