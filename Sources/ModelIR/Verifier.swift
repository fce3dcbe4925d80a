import SpecLib
import TensorCore

/// Why a model is not valid: names the node when there is one.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks a model against the spec library: names, order, and every node against its spec.
public enum Verifier {
    /// Verifies `model` and returns each node's instance, in node order.
    @discardableResult
    public static func verify(_ model: Model, library: SpecLibrary) throws -> [OpInstance] {
        var types: [String: TensorType] = [:]
        func define(_ name: String, _ type: TensorType, _ what: String) throws {
            guard !name.isEmpty else { throw ModelError("\(what) has an empty name") }
            guard types[name] == nil else { throw ModelError("value '\(name)' is defined twice (\(what))") }
            types[name] = type
        }
        for i in model.inputs { try define(i.name, i.type, "input") }
        for w in model.weights { try define(w.name, w.value.type, "weight") }
        var instances: [OpInstance] = []
        for (k, node) in model.nodes.enumerated() {
            let label = "node \(k) (\(node.op) -> \(node.outputs.map(\.name).joined(separator: ", ")))"
            guard let spec = library.spec(named: node.op) else { throw ModelError("\(label): unknown operator '\(node.op)'") }
            let inputTypes = try node.inputs.map { name -> TensorType in
                guard let t = types[name] else { throw ModelError("\(label): input '\(name)' is not defined before use") }
                return t
            }
            let instance: OpInstance
            do {
                instance = try spec.instantiate(inputs: inputTypes, attributes: node.attributes)
            } catch let e as InstanceError {
                throw ModelError("\(label): \(e.message)")
            }
            guard instance.outputTypes.count == node.outputs.count else {
                throw ModelError("\(label): has \(node.outputs.count) outputs, the spec gives \(instance.outputTypes.count)")
            }
            for (declared, derived) in zip(node.outputs, instance.outputTypes) where declared.type != derived {
                throw ModelError("\(label): output '\(declared.name)' is declared \(declared.type) but the spec gives \(derived)")
            }
            for o in node.outputs { try define(o.name, o.type, label) }
            instances.append(instance)
        }
        guard !model.outputs.isEmpty else { throw ModelError("model has no outputs") }
        for o in model.outputs where types[o] == nil { throw ModelError("output '\(o)' is not defined") }
        return instances
    }
}
