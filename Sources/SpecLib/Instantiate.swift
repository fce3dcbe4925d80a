import SpecLang
import TensorCore

extension OpSpec {
    /// Instantiates the operator at concrete input types (inputs and weights in declaration order) and attributes.
    public func instantiate(inputs: [TensorType], attributes given: [String: AttributeValue]) throws -> OpInstance {
        let ports = inputPorts(attributes: given)
        guard inputs.count == ports.count else {
            throw InstanceError(name, "expects \(ports.count) inputs (\(ports.map(\.name).joined(separator: ", "))), got \(inputs.count)")
        }
        for key in given.keys where attribute(key) == nil {
            throw InstanceError(name, "has no attribute '\(key)'")
        }
        var ev = Evaluator()
        ev.enumCases = enumCases
        ev.dtypes = try bindTypes(inputs, ports)
        for (p, t) in zip(ports, inputs) { ev.ranks[p.name] = t.rank }
        // A port that is one shape group (`X: T[*S]`) fixes the group before any split, so an attribute's default
        // may read it (Squeeze without axes removes `positions(S == 1)`).
        for (p, t) in zip(ports, inputs) {
            if p.shape.count == 1, p.shape[0].isSplice, case .name(let g) = p.shape[0].expr.kind { ev.constants[g] = .vector(t.shape) }
        }
        var attributes: [String: AttributeValue] = [:]
        for decl in file.attributes {
            let value = try resolveAttribute(decl, given[decl.name], ev)
            attributes[decl.name] = value
            ev.constants[decl.name] = semanticValue(decl, value, ev)
        }
        var firstError: Error?
        for split in splits(inputs, ports) {
            do {
                return try bind(inputs, ports, split: split, ev, attributes)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? InstanceError(name, "no input matches the declared ranks")
    }

    /// The declared inputs a node with these attributes has: an optional input is absent when its condition fails.
    public func inputPorts(attributes given: [String: AttributeValue]) -> [PortDecl] {
        guard inputs.contains(where: { $0.presence != nil }) else { return inputs }
        var ev = Evaluator()
        ev.enumCases = enumCases
        for decl in file.attributes {
            if let v = given[decl.name] {
                ev.constants[decl.name] = v.value
            } else if case .expr(let e)? = decl.defaultValue, let v = try? ev.eval(e) {
                ev.constants[decl.name] = v
            }
        }
        return inputs.filter { port in
            guard let p = port.presence else { return true }
            return (try? ev.eval(p.condition).asBool()) ?? true
        }
    }

    /// The attributes whose values decide which optional inputs are present.
    public var presenceAttributes: [String] {
        let named = inputs.compactMap(\.presence).reduce(into: Set<String>()) { $0.formUnion(ExprNames.of($1.condition, lets: [:])) }
        return file.attributes.map(\.name).filter(named.contains)
    }

    private func bindTypes(_ inputs: [TensorType], _ ports: [PortDecl]) throws -> [String: DType] {
        var dtypes: [String: DType] = [:]
        for (port, type) in zip(ports, inputs) {
            guard allowedDTypes(port).contains(type.dtype) else {
                throw InstanceError(name, "input '\(port.name)' has dtype \(type.dtype), allowed: \(allowedDTypes(port).map(\.rawValue).joined(separator: ", "))")
            }
            guard typeVariables[port.type.name] != nil else { continue }
            if let bound = dtypes[port.type.name], bound != type.dtype {
                throw InstanceError(name, "input '\(port.name)' has dtype \(type.dtype) but \(port.type.name) is already \(bound)")
            }
            dtypes[port.type.name] = type.dtype
        }
        return dtypes
    }

    /// Every way to divide each input's rank among its shape groups that gives a group named in several inputs the
    /// same length in each (any other split fails in `bind`): without that pruning a variadic operator's splits grow
    /// as (rank + 1) to the power of its inputs (Concat with 8 inputs of rank 4: 390,625, each bound and refused).
    private func splits(_ inputs: [TensorType], _ ports: [PortDecl]) -> [[[Int]]] {
        var result: [(split: [[Int]], lengths: [String: Int])] = [([], [:])]
        for (port, type) in zip(ports, inputs) {
            let splices = port.shape.filter(\.isSplice)
            let free = type.rank - (port.shape.count - splices.count)
            let options = free < 0 ? [] : Self.compositions(free, into: splices.count)
            result = result.flatMap { prefix in
                options.compactMap { option in
                    var lengths = prefix.lengths
                    for (item, length) in zip(splices, option) {
                        guard case .name(let n) = item.expr.kind, groupSymbols.contains(n) else { continue }
                        if let known = lengths[n], known != length { return nil }
                        lengths[n] = length
                    }
                    return (prefix.split + [option], lengths)
                }
            }
        }
        return result.map(\.split)
    }

    static func compositions(_ n: Int, into parts: Int) -> [[Int]] {
        if parts == 0 { return n == 0 ? [[]] : [] }
        if parts == 1 { return [[n]] }
        return (0...n).flatMap { first in compositions(n - first, into: parts - 1).map { [first] + $0 } }
    }
}
