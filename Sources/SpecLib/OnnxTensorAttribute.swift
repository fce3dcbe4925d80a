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

extension OnnxMapping {
    /// A `const D fraction(v, bits)` operand: the reals `v / 2^bits`, element by element, where `v` is an `ints`
    /// attribute and `bits` an `int` attribute (one exponent for all) or an `ints` one (an exponent per element). It
    /// carries a float vector (Resize's scales 0.6, 2.94) in the exact integer arithmetic every evaluator shares;
    /// import takes the smallest `bits` that makes the elements whole (a float32 is a whole multiple of some power
    /// of two), so a whole vector reads back with `bits` 0.
    public static func fraction(_ e: Expr) -> (value: Expr, bits: Expr)? {
        guard case .call("fraction", let args) = e.kind, args.count == 2, case .name = args[0].kind,
              case .name = args[1].kind else { return nil }
        return (args[0], args[1])
    }

    /// The largest `bits` import tries for a `fraction` operand; with 30 an element times 2^bits stays far inside 64 bits.
    public static let maxFractionBits = 30
}
