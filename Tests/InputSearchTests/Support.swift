import Foundation
import ModelIR
import Reference
import SpecLang
import SpecLib
import TensorCore
import TestSupport
import XCTest

/// The library loaded once for all tests.
let sharedLibrary: Result<SpecLibrary, Error> = Result { try SpecLibrary.load(directory: repositorySpecs) }

/// Builds a model node by node; output types come from instantiating each spec.
struct ModelBuilder {
    let library: SpecLibrary
    var model = Model()

    mutating func input(_ name: String, _ type: TensorType) -> String {
        model.inputs.append(ValueInfo(name, type))
        return name
    }

    mutating func weight(_ name: String, _ value: Tensor) -> String {
        model.weights.append(Weight(name, value))
        return name
    }

    mutating func node(_ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:]) throws -> String {
        let types = model.valueTypes
        let instance = try library.requireSpec(op).instantiate(inputs: inputs.map { types[$0]! }, attributes: attributes)
        let name = "v\(model.nodes.count)"
        let outputs = instance.outputTypes.enumerated().map { ValueInfo($0.offset == 0 ? name : "\(name)_\($0.offset)", $0.element) }
        model.nodes.append(Node(op: op, inputs: inputs, outputs: outputs, attributes: attributes))
        return name
    }

    mutating func finish(_ outputs: [String]) -> Model {
        model.outputs = outputs
        return model
    }
}

/// Why the model is not clean on these inputs (a non-finite value or a broken domain), or nil: checked with
/// the reference interpreter and the plain evaluator, independently of the search.
func uncleanReason(_ model: Model, _ inputs: [String: Tensor], _ library: SpecLibrary) throws -> String? {
    let values: [String: Tensor]
    do { values = try Interpreter.run(model, library: library, inputs: inputs) } catch let e as ReferenceError { return e.message }
    for (name, t) in values where t.dtype.isFloat {
        if let k = (0..<t.count).first(where: { !t.double(at: $0).isFinite }) { return "\(name)[\(k)] = \(t.double(at: k))" }
    }
    let instances = try Verifier.verify(model, library: library)
    for (node, instance) in zip(model.nodes, instances) {
        for (port, name) in zip(instance.inputPorts, node.inputs) {
            let t = values[name]!
            for d in instance.spec.file.domains where d.tensor == port.name {
                for k in 0..<t.count where !(try instance.evaluator.eval(d.condition, [port.name: .scalar(t.scalar(at: k))]).asBool()) {
                    return "\(node.op) input \(port.name) = \(t.scalar(at: k)) breaks its domain"
                }
            }
        }
    }
    return nil
}

extension SpecLibrary {
    /// The named spec, or a test failure.
    func requireSpec(_ name: String) throws -> OpSpec {
        guard let s = spec(named: name) else { throw XCTSkip("no spec named \(name)") }
        return s
    }
}
