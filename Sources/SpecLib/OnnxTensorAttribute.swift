import SpecLang

extension OnnxMapping {
    /// An `onnx` entry `key = tensor(D, expr)`: a TENSOR attribute holding one element, `expr` stored as dtype `D`
    /// (a dtype, type variable or dtype attribute). ConstantOfShape's `value` is one; on import the tensor's dtype
    /// gives `D` when `D` is a dtype attribute, and its element gives `expr` when `expr` names an attribute.
    public static func tensorAttribute(_ e: Expr) -> (dtype: String, value: Expr)? {
        guard case .call("tensor", let args) = e.kind, args.count == 2, case .name(let d) = args[0].kind else { return nil }
        return (d, args[1])
    }

    /// Every `(dtype, value)` the line turns into a typed ONNX value: `const D x` inputs and `tensor(D, x)` attributes.
    public var typedConstants: [(dtype: String, value: Expr)] {
        var result: [(dtype: String, value: Expr)] = []
        for case .constant(let d, let e) in inputs ?? [] { result.append((d, e)) }
        for (_, e) in attributes { if let t = Self.tensorAttribute(e) { result.append(t) } }
        return result
    }
}
