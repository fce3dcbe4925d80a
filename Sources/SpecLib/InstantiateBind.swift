import SpecLang
import TensorCore

extension OpSpec {
    /// Binds shape symbols for one split of the input ranks, then checks lets, requirements and outputs.
    func bind(_ inputs: [TensorType], _ ports: [PortDecl], split: [[Int]], _ start: Evaluator,
              _ attributes: [String: AttributeValue]) throws -> OpInstance {
        var ev = start
        var segments: [String: [Range<Int>]] = [:]
        var deferred: [(Expr, Value, String)] = []
        for ((port, type), groupLengths) in zip(zip(ports, inputs), split) {
            var dim = 0, g = 0
            var segs: [Range<Int>] = []
            for item in port.shape {
                let length = item.isSplice ? groupLengths[g] : 1
                if item.isSplice { g += 1 }
                let range = dim..<(dim + length)
                segs.append(range)
                dim += length
                let actual: Value = item.isSplice ? .vector(Array(type.shape[range])) : .int(type.shape[range.lowerBound])
                if case .name(let n) = item.expr.kind, dimSymbols.contains(n) || groupSymbols.contains(n) {
                    if let bound = ev.constants[n] {
                        guard bound == actual else {
                            throw InstanceError(name, "'\(n)' is \(bound) but input '\(port.name)' has \(actual) there (shape \(type.shape))")
                        }
                    } else {
                        ev.constants[n] = actual
                    }
                } else {
                    deferred.append((item.expr, actual, port.name))
                }
            }
            segments[port.name] = segs
        }
        let absent = self.inputs.filter { p in !ports.contains { $0.name == p.name } }
        bindAbsent(absent, &ev)
        for l in file.lets { ev.constants[l.name] = try evaluate(l.value, ev, "let \(l.name)") }
        for port in absent { ev.ranks[port.name] = (try? concreteShape(port.shape, ev, port.name).0.count) ?? 0 }
        for (e, actual, port) in deferred {
            let want = try evaluate(e, ev, "shape of \(port)")
            guard want == actual || (try? want.asInt()) == (try? actual.asInt()) && (try? want.asInt()) != nil else {
                throw InstanceError(name, "input '\(port)' has \(actual) where the spec needs \(e) = \(want)")
            }
        }
        for r in file.requires {
            guard try evaluate(r, ev, "requirement").asBool() else {
                throw InstanceError(name, "requirement '\(r)' does not hold (\(r.location))")
            }
        }
        var outputTypes: [TensorType] = []
        for port in outputs {
            let (shape, segs) = try concreteShape(port.shape, ev, port.name)
            segments[port.name] = segs
            var dtype = ev.dtypes[port.type.name] ?? DType(rawValue: port.type.name)
            if case .dtype(let d)? = ev.constants[port.type.name] { dtype = d }
            guard let dtype else { throw InstanceError(name, "output '\(port.name)' has no dtype") }
            outputTypes.append(TensorType(dtype, shape))
        }
        var stageShapes: [String: [Int]] = [:]
        for stage in file.stages {
            let (shape, segs) = try concreteShape(stage.shape ?? [], ev, stage.target)
            segments[stage.target] = segs
            stageShapes[stage.target] = shape
        }
        let fallbacks = Dictionary(uniqueKeysWithValues: absent.map { ($0.name, $0.presence!.fallback) })
        // Every evaluator then sees plain expressions: no absent input, no `lowest(T)`.
        func specialize(_ d: Definition) -> Definition {
            var d = d
            d.body = DTypeBounds.resolve(d.body, ev)
            guard !fallbacks.isEmpty else { return d }
            d.body = d.body.rewritten { e in
                if case .read(let t, _, _) = e.kind, let f = fallbacks[t] { return DTypeBounds.resolve(f, ev) }
                return nil
            }
            return d
        }
        return OpInstance(spec: self, attributes: attributes, inputTypes: inputs, inputPorts: ports, outputTypes: outputTypes,
                          evaluator: ev, segments: segments, stageShapes: stageShapes,
                          stages: file.stages.map(specialize), computes: file.computes.map(specialize))
    }

    /// An absent input binds the shape symbols no present input bound to the smallest shape: groups empty, dims 1
    /// (Gemm without C has `SC = []`, which its requirements accept).
    private func bindAbsent(_ absent: [PortDecl], _ ev: inout Evaluator) {
        for port in absent {
            for item in port.shape {
                guard case .name(let n) = item.expr.kind, dimSymbols.contains(n) || groupSymbols.contains(n),
                      ev.constants[n] == nil else { continue }
                ev.constants[n] = item.isSplice ? .vector([]) : .int(1)
            }
        }
    }

    private func evaluate(_ e: Expr, _ ev: Evaluator, _ what: String) throws -> Value {
        do {
            return try ev.eval(e)
        } catch let error as EvalError {
            throw InstanceError(name, "\(what): \(error.message) in '\(e)' (\(e.location))")
        }
    }

    /// Evaluates a declared shape to concrete dims and the segment each item covers.
    func concreteShape(_ items: [IndexItem], _ ev: Evaluator, _ what: String) throws -> ([Int], [Range<Int>]) {
        var shape: [Int] = []
        var segs: [Range<Int>] = []
        for item in items {
            let v = try evaluate(item.expr, ev, "shape of \(what)")
            let dims: [Int]
            if item.isSplice {
                do { dims = try v.asVector() } catch { throw InstanceError(name, "shape of \(what): '*\(item.expr)' is not a vector") }
            } else {
                do { dims = [try v.asInt()] } catch { throw InstanceError(name, "shape of \(what): '\(item.expr)' is not an integer") }
            }
            if let bad = dims.first(where: { $0 < 0 }) { throw InstanceError(name, "shape of \(what) has negative dim \(bad)") }
            segs.append(shape.count..<(shape.count + dims.count))
            shape += dims
        }
        return (shape, segs)
    }
}
