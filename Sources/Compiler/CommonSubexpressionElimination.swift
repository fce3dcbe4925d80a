import ModelIR
import SpecLib

/// Merges nodes that apply the same operator to the same values with the same attributes, and weights
/// with the same type and bits, keeping the first of each.
///
/// Attributes are compared after defaults are filled in (an omitted default equals the default written out)
/// and reals by bit pattern, so `-0.0` and `0.0`, or two NaN payloads, are different attributes.
public enum CommonSubexpressionElimination {
    /// The pass (O1).
    public static let pass = make()

    /// The pass; a faulty variant leaves attributes out of the key (`keyAttributes: false`), another keys the two
    /// inputs of a binary node in sorted order as if every operator commuted (`sortBinaryInputs: true`).
    static func make(keyAttributes: Bool = true, sortBinaryInputs: Bool = false) -> Pass {
        Pass(name: "common-subexpression-elimination",
             summary: "merge nodes with the same operator, inputs and attributes (and identical weights) into one",
             level: .O1) { typed, _ in run(typed, keyAttributes: keyAttributes, sortBinaryInputs: sortBinaryInputs) }
    }

    static func run(_ typed: TypedModel, keyAttributes: Bool, sortBinaryInputs: Bool = false) -> Model {
        let model = typed.model, instances = typed.instances
        var replacements: [String: String] = [:]
        var m = model

        var firstWeight: [String: String] = [:]
        m.weights = model.weights.filter { w in
            let key = "\(w.value.type)=" + w.value.bits.map { String($0, radix: 16) }.joined(separator: ",")
            if let kept = firstWeight[key] { replacements[w.name] = kept; return false }
            firstWeight[key] = w.name
            return true
        }

        var firstNode: [String: Node] = [:]
        m.nodes = []
        for (node, instance) in zip(model.nodes, instances) {
            var n = node
            // Inputs are redirected before the key is made, so duplicates of duplicates merge too.
            n.inputs = n.inputs.map { replacements[$0] ?? $0 }
            var keyed = n
            if sortBinaryInputs && keyed.inputs.count == 2 { keyed.inputs.sort() }
            let key = Self.key(keyed, keyAttributes ? instance.attributes : [:])
            if let kept = firstNode[key] {
                for (dup, keep) in zip(n.outputs, kept.outputs) { replacements[dup.name] = keep.name }
                continue
            }
            firstNode[key] = n
            m.nodes.append(n)
        }
        m.outputs = m.outputs.map { replacements[$0] ?? $0 }
        return m
    }

    /// Two nodes compute the same values exactly when their keys are equal.
    static func key(_ n: Node, _ attributes: [String: AttributeValue]) -> String {
        let attrs = attributes.keys.sorted().map { "\($0)=\(canonical(attributes[$0]!))" }.joined(separator: ";")
        return "\(n.op)(\(n.inputs.joined(separator: ",")))[\(attrs)]->\(n.outputs.map { "\($0.type)" }.joined(separator: ","))"
    }

    /// An attribute's text, exact for reals (their bit pattern) and never ambiguous between kinds.
    static func canonical(_ a: AttributeValue) -> String {
        switch a {
        case .int(let v): return "i\(v)"
        case .real(let v): return "r" + String(v.bitPattern, radix: 16)
        case .ints(let v): return "v" + v.map(String.init).joined(separator: ",")
        case .name(let n): return "n" + n
        case .dtype(let d): return "d" + d.rawValue
        }
    }
}
