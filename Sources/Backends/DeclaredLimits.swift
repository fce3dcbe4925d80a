import ModelIR
import SpecLib
import TensorCore

extension BackendCapabilities {
    /// Why the backend, by its own declaration, cannot run `model` (exported at ONNX `opset`), in one line; nil when
    /// nothing it declares rules the model out. Such a model is `unsupported` and never sent: a dtype the backend
    /// says it does not compute (as any value, or as a dtype attribute such as `Cast`'s `to`) or an opset above
    /// its ceiling would only give a failure the documentation already explains.
    public func refusal(_ model: Model, opset: Int?) -> String? {
        if !unsupportedDTypes.isEmpty {
            let used = model.valueTypes.values.map(\.dtype) + model.nodes.flatMap { $0.attributes.values.compactMap(\.dtypeValue) }
            if let d = used.first(where: unsupportedDTypes.contains) {
                return "the backend declares \(d) unsupported"
            }
        }
        if let ceiling = maxOpset, let opset, opset > ceiling {
            return "the model needs ONNX opset \(opset); the backend reads up to opset \(ceiling)"
        }
        return nil
    }
}

extension AttributeValue {
    /// The dtype a dtype attribute names.
    var dtypeValue: DType? {
        if case .dtype(let d) = self { return d }
        return nil
    }
}
