import SpecLang
import TensorCore

/// Draws random valid instances of one spec: small random shapes and attributes, kept when every requirement holds.
///
/// This is the simple rejection sampler `specs test` uses; the generator has its own solver.
public struct InstanceSampler: Sendable {
    public let spec: OpSpec
    /// Dtypes a type variable or a dtype attribute takes when it allows them, first match wins (e.g. `[.f32]` for
    /// runtimes' common kernels).
    public var preferredDTypes: [DType] = []
    /// When set, an instance whose `cost` is over `limit` is drawn again (as `SolverRequest.workLimit`): inputs are
    /// small, but an output can be large (ConvTranspose with strides 3), and a check evaluates it many times.
    public var workLimit: (limit: Int, cost: @Sendable (OpInstance) -> Int)?

    public init(spec: OpSpec, preferring dtypes: [DType] = []) {
        self.spec = spec
        preferredDTypes = dtypes
    }

    /// One valid instance, or nil when `maxAttempts` random draws all failed.
    public func sample(using rng: inout SeededRNG, maxAttempts: Int = 200) -> OpInstance? {
        try? sampleOrExplain(using: &rng, maxAttempts: maxAttempts).get()
    }

    /// One valid instance, or the reason the last attempt failed.
    public func sampleOrExplain(using rng: inout SeededRNG, maxAttempts: Int = 200) -> Result<OpInstance, InstanceError> {
        var last = InstanceError(spec.name, "no attempt made")
        for _ in 0..<maxAttempts {
            do {
                return .success(try attempt(&rng))
            } catch let e as InstanceError {
                last = e
            } catch {
                last = InstanceError(spec.name, "\(error)")
            }
        }
        return .failure(last)
    }

    private func attempt(_ rng: inout SeededRNG) throws -> OpInstance {
        var ev = Evaluator()
        ev.enumCases = spec.enumCases
        let base = (0..<5).map { _ in smallDim(&rng) }
        for g in spec.groupSymbols.sorted() {
            let rank = rng.int(in: 0...3)
            ev.constants[g] = .vector(base.suffix(rank).map { rng.int(in: 0...4) == 0 ? 1 : $0 })
        }
        for d in spec.dimSymbols.sorted() { ev.constants[d] = .int(smallDim(&rng)) }
        for port in spec.inputs {
            ev.ranks[port.name] = try port.shape.reduce(0) { n, item in
                n + (item.isSplice ? try ev.eval(item.expr).asVector().count : 1)
            }
        }
        var attributes: [String: AttributeValue] = [:]
        for decl in spec.attributes {
            if decl.defaultValue != nil && rng.int(in: 0...3) == 0 {
                // A later attribute may read this one (`axes: ints[n_axes]`), so its default is known from here on.
                if let v = try? spec.resolveAttribute(decl, nil, ev) { ev.constants[decl.name] = v.value }
                continue
            }
            let value = try sampleAttribute(decl, ev, &rng)
            attributes[decl.name] = value
            ev.constants[decl.name] = spec.semanticValue(decl, value, ev)
        }
        // Defaults may be needed by the input shapes (`C / group`): resolve them as instantiation will.
        for decl in spec.attributes where attributes[decl.name] == nil {
            ev.constants[decl.name] = try spec.resolveAttribute(decl, nil, ev).value
        }
        for l in spec.file.lets { ev.constants[l.name] = try? ev.eval(l.value) }
        var dtypes: [String: DType] = [:]
        for (name, allowed) in spec.typeVariables.sorted(by: { $0.key < $1.key }) {
            dtypes[name] = preferredDTypes.first(where: allowed.contains) ?? allowed[rng.int(in: 0...(allowed.count - 1))]
        }
        var types: [TensorType] = []
        for port in spec.inputPorts(attributes: attributes) {
            let (shape, _) = try spec.concreteShape(port.shape, ev, port.name)
            let dtype = dtypes[port.type.name] ?? DType(rawValue: port.type.name)!
            guard shape.reduce(1, *) <= 4096 else { throw InstanceError(spec.name, "sampled input too large") }
            types.append(TensorType(dtype, shape))
        }
        roundConstantInputs(&attributes, dtypes)
        let instance = try spec.instantiate(inputs: types, attributes: attributes)
        if let (limit, cost) = workLimit, case let work = cost(instance), work > limit {
            throw InstanceError(spec.name, "needs about \(work) scalar operations, over the limit of \(limit)")
        }
        return instance
    }

    /// An attribute the ONNX mapping passes as a typed constant input (`const T lo`, `tensor(T, v)`) holds a value of that
    /// dtype, so a drawn value is converted to it: what ONNX can carry is what the instance uses.
    private func roundConstantInputs(_ attributes: inout [String: AttributeValue], _ dtypes: [String: DType]) {
        for (dtypeName, expr) in spec.file.onnxMappings.flatMap(\.typedConstants) {
            // The dtype is a type variable, a dtype or a dtype attribute (an operator with no runtime input).
            var attributeDType: DType?
            if case .dtype(let d)? = attributes[dtypeName] { attributeDType = d }
            guard case .name(let a) = expr.kind, let dtype = dtypes[dtypeName] ?? DType(rawValue: dtypeName) ?? attributeDType,
                  let value = attributes[a] else { continue }
            let scalar: Scalar
            switch value {
            case .real(let d): scalar = .float(d)
            case .int(let i): scalar = .int(Int64(i))
            default: continue
            }
            let converted = ElementCodec.scalar(bits: ElementCodec.bits(of: scalar, as: dtype), dtype: dtype)
            if case .real = value { attributes[a] = .real(converted.asDouble) } else { attributes[a] = .int(Int(converted.asInt64)) }
        }
    }

    /// Dims between 1 and 6, small ones more often.
    private func smallDim(_ rng: inout SeededRNG) -> Int {
        [1, 1, 2, 2, 3, 3, 4, 5, 6][rng.int(in: 0...8)]
    }

    private func sampleAttribute(_ decl: AttrDecl, _ ev: Evaluator, _ rng: inout SeededRNG) throws -> AttributeValue {
        func int(_ e: Expr) throws -> Int {
            do { return try ev.eval(e).asInt() } catch { throw InstanceError(spec.name, "attribute '\(decl.name)': \(error)") }
        }
        func real(_ e: Expr) throws -> Double {
            do { return try ev.eval(e).asScalar().asDouble } catch { throw InstanceError(spec.name, "attribute '\(decl.name)': \(error)") }
        }
        func drawInt() throws -> Int {
            guard let (lo, hi) = decl.range else { return rng.int(in: 0...3) }
            let a = try int(lo), b = try int(hi)
            guard a <= b else { throw InstanceError(spec.name, "empty range for '\(decl.name)'") }
            return rng.int(in: a...b)
        }
        switch decl.kind {
        case .int: return .int(try drawInt())
        case .bool: return .int(rng.int(in: 0...1))
        case .real:
            guard let (lo, hi) = decl.range else { return .real(0.5) }
            // float32 values, as ONNX attributes hold.
            return .real(Double(Float(rng.double(in: try real(lo), try real(hi)))))
        case .ints(let n):
            let count = try n.map(int) ?? rng.int(in: 0...4)
            return .ints(try (0..<max(0, count)).map { _ in try drawInt() })
        case .enumeration(let cases): return .name(cases[rng.int(in: 0...(cases.count - 1))])
        case .dtype(let allowed):
            let ds = DTypeGroups.resolve(all: allowed.isEmpty ? ["any"] : allowed) ?? DType.allCases
            // A dtype attribute (Cast's `to`, EyeLike's `dtype`) prefers as a type variable does.
            if let d = preferredDTypes.first(where: ds.contains) { return .dtype(d) }
            return .dtype(ds[rng.int(in: 0...(ds.count - 1))])
        case .perm(let n):
            var p = Array(0..<max(0, try int(n)))
            for k in stride(from: p.count - 1, to: 0, by: -1) { p.swapAt(k, rng.int(in: 0...k)) }
            return .ints(p)
        case .axes(let n):
            return .ints((0..<max(0, try int(n))).filter { _ in rng.bool() })
        }
    }
}
