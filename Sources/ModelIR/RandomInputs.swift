import TensorCore

extension Model {
    /// Random values for every runtime input from one seed: floats uniform in [-1, 1), signed integers in [-5, 5],
    /// unsigned in [0, 5], bools fair. The same seed gives the same bits on every machine.
    public func randomInputs(seed: UInt64) -> [String: Tensor] {
        var rng = SeededRNG(seed: seed)
        var out: [String: Tensor] = [:]
        for info in inputs {
            let low: Double = info.type.dtype.isFloat ? -1 : (info.type.dtype.isUnsignedInteger ? 0 : -5)
            let high: Double = info.type.dtype.isFloat ? 1 : 5
            out[info.name] = Tensor.random(info.type, using: &rng, low: low, high: high)
        }
        return out
    }
}
