import TensorCore

extension Model {
    /// Random values for every runtime input from one seed: floats uniform in [-1, 1), signed integers in [-5, 5],
    /// unsigned in [0, 5], bools fair. The same seed gives the same bits on every machine.
    public func randomInputs(seed: UInt64) -> [String: Tensor] {
        var rng = SeededRNG(seed: seed)
        var out: [String: Tensor] = [:]
        for info in inputs { out[info.name] = Self.randomInput(info.type, using: &rng) }
        return out
    }

    /// One input's random value, drawn as `randomInputs` draws it.
    public static func randomInput(_ type: TensorType, using rng: inout SeededRNG) -> Tensor {
        let low: Double = type.dtype.isFloat ? -1 : (type.dtype.isUnsignedInteger ? 0 : -5)
        let high: Double = type.dtype.isFloat ? 1 : 5
        return Tensor.random(type, using: &rng, low: low, high: high)
    }
}
