import ModelIR
import TensorCore

/// A set of named tensors stored in the model text format: a `graphsmith-model 1` file with only `weight` lines.
///
/// `run --out` writes one (the model's outputs), `run --inputs` reads one (named like the model's inputs).
enum TensorBundle {
    static func write(_ tensors: [(name: String, value: Tensor)]) -> String {
        TextWriter.write(Model(weights: tensors.map { Weight($0.name, $0.value) }))
    }

    /// The tensors of a bundle file, in file order; a user error when the file holds anything but weights.
    static func read(_ text: String, path: String) throws -> [(name: String, value: Tensor)] {
        let model = try TextReader.read(text, path: path)
        guard model.inputs.isEmpty, model.nodes.isEmpty, model.outputs.isEmpty else {
            throw UserError("\(path): a tensor bundle holds only 'weight' lines (found inputs, nodes or outputs)")
        }
        return model.weights.map { ($0.name, $0.value) }
    }

    /// Matches a bundle against a model's inputs: every input present with its exact type, nothing extra.
    static func inputs(for model: Model, from bundle: [(name: String, value: Tensor)], path: String) throws -> [String: Tensor] {
        var byName: [String: Tensor] = [:]
        for (name, value) in bundle {
            guard byName[name] == nil else { throw UserError("\(path): tensor '\(name)' appears twice") }
            byName[name] = value
        }
        for info in model.inputs {
            guard let t = byName[info.name] else { throw UserError("\(path): no tensor for model input '\(info.name)'") }
            guard t.type == info.type else {
                throw UserError("\(path): tensor '\(info.name)' is \(t.type), the model input is \(info.type)")
            }
        }
        let known = Set(model.inputs.map(\.name))
        if let extra = bundle.first(where: { !known.contains($0.name) }) {
            throw UserError("\(path): tensor '\(extra.name)' is not an input of the model")
        }
        return byName
    }
}
