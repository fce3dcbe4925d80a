import SpecLang
import SpecLib

extension OnnxMapping {
    /// Whether this `onnx` line maps `instance`: it has no `when`, or its condition holds for the instance.
    func maps(_ instance: OpInstance) throws -> Bool {
        guard let c = condition else { return true }
        do { return try instance.evaluator.eval(c).asBool() } catch {
            throw OnnxError("\(instance.name): cannot evaluate the 'when' of its opset-\(opset) ONNX mapping: \(error)")
        }
    }
}

extension OpInstance {
    /// The `onnx` line the instance is exported by: the first that maps it, so it gets the lowest opset its spec
    /// says expresses it (nil when the spec has no ONNX mapping).
    func onnxMapping() throws -> OnnxMapping? {
        for m in spec.file.onnxMappings where try m.maps(self) { return m }
        return nil
    }
}
