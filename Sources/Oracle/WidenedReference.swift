import ModelIR
import Reference
import SpecLib
import TensorCore

/// The reference as a backend that computes a float dtype in a wider one (`computes_as` f16 → f32) sees it: every
/// value of the narrow dtype held in the wide one from the inputs to the outputs, and only the outputs rounded back.
///
/// The reference rounds each operator's result to f16; such a backend rounds once, at the end. Most of the time the
/// two agree within f16's tolerance, but an ill-conditioned operator (a `Tan` near its pole, a `LayerNormalization` of
/// nearly equal values) turns the f16 roundings between operators into a large difference. Agreeing with this
/// reference is what the backend documents, so a difference explained by it is `precision-policy`, not a finding.
struct WidenedReference {
    /// Narrow float dtype → the wider float dtype it is computed in.
    let widening: [DType: DType]

    /// The widenings `policy` declares: float pairs whose computed dtype has a finer tolerance than its own.
    init(_ policy: PrecisionPolicy) {
        widening = policy.computesAs.filter { from, to in
            from.isFloat && to.isFloat && Tolerance.default(for: to).rtol < Tolerance.default(for: from).rtol
        }
    }

    /// Whether `model` holds a value the backend computes wider.
    func applies(to model: Model) -> Bool {
        !widening.isEmpty && model.valueTypes.values.contains { widening[$0.dtype] != nil }
    }

    /// The tolerance of the narrow dtypes output `name` is computed from, when it is wider than the output's own: an
    /// f32 output of a chain of f16 operators is as precise as f16, whichever roundings between them the backend kept
    /// (onnxruntime computes an f16 operator without an f16 kernel in f32 and keeps f32 between two such, so its
    /// result lies between the reference, rounded after every operator, and the widened one, rounded at the end).
    /// Nil when no narrow value feeds it or its own tolerance is already as wide.
    func inputTolerance(of name: String, in model: Model) -> Tolerance? {
        let types = model.valueTypes
        guard let own = types[name]?.dtype else { return nil }
        let narrow = Oracle.values(feeding: name, in: model).compactMap { types[$0]?.dtype }.filter { widening[$0] != nil }
        guard let widest = narrow.map(Tolerance.default(for:)).max(by: { $0.rtol < $1.rtol }),
              widest.rtol > Tolerance.default(for: own).rtol else { return nil }
        return widest
    }

    /// The reference outputs of `model` computed wide and rounded to their own dtypes; nil when the widened model
    /// does not verify or run (an operator without a kernel for the wide dtype).
    func outputs(_ model: Model, library: SpecLibrary, inputs: [String: Tensor]) -> [Tensor]? {
        let wide = widened(model)
        var fed: [String: Tensor] = [:]
        for (name, t) in inputs { fed[name] = widened(t) }
        guard let got = try? Interpreter.outputs(wide, library: library, inputs: fed) else { return nil }
        let types = model.valueTypes
        return zip(model.outputs, got).map { name, t in
            guard let own = types[name]?.dtype, own != t.dtype else { return t }
            return Tensor(dtype: own, shape: t.shape, doubles: t.doubles)
        }
    }

    /// `model` with every narrow dtype replaced by its wide one: value types, weights and dtype attributes (a `Cast`
    /// to f16 becomes a cast to f32, as the backend runs it).
    func widened(_ model: Model) -> Model {
        var m = model
        m.inputs = model.inputs.map { ValueInfo($0.name, widened($0.type)) }
        m.weights = model.weights.map { Weight($0.name, widened($0.value)) }
        m.nodes = model.nodes.map { node in
            var n = node
            n.outputs = node.outputs.map { ValueInfo($0.name, widened($0.type)) }
            n.attributes = node.attributes.mapValues(widened)
            return n
        }
        return m
    }

    /// A dtype attribute naming a narrow dtype names the wide one.
    private func widened(_ value: AttributeValue) -> AttributeValue {
        guard case .dtype(let d) = value, let wide = widening[d] else { return value }
        return .dtype(wide)
    }

    private func widened(_ type: TensorType) -> TensorType {
        guard let wide = widening[type.dtype] else { return type }
        return TensorType(wide, type.shape)
    }

    private func widened(_ t: Tensor) -> Tensor {
        guard let wide = widening[t.dtype] else { return t }
        return Tensor(dtype: wide, shape: t.shape, doubles: t.doubles)
    }
}
