import SpecLang
import SpecLib
import TensorCore

/// Random input values for one instance that respect the spec's value domains (`domain X: X > 0`).
///
/// A simple rejection sampler: each element is drawn like `Model.randomInputs` draws it (floats in
/// [-1, 1), signed integers in [-5, 5], unsigned in [0, 5], bools fair) and redrawn while it falls outside
/// the input's domain, up to a bound. The gradient-based input search will replace this for whole models.
enum DomainInputs {
    /// Redraws per element before giving up and keeping the last value.
    static let maxRedraws = 200

    /// One tensor per input and weight of the instance, in declaration order.
    static func sample(_ instance: OpInstance, using rng: inout SeededRNG) -> [Tensor] {
        zip(instance.spec.inputs, instance.inputTypes).map { port, type in
            var tensor = draw(type, &rng)
            let conditions = instance.spec.file.domains.filter { $0.tensor == port.name }.map(\.condition)
            guard !conditions.isEmpty else { return tensor }
            let scalarType = TensorType(type.dtype, [])
            for k in 0..<tensor.count {
                var redraws = 0
                while redraws < maxRedraws && !holds(conditions, port.name, tensor.scalar(at: k), instance.evaluator) {
                    tensor.bits[k] = draw(scalarType, &rng).bits[0]
                    redraws += 1
                }
            }
            return tensor
        }
    }

    static func draw(_ type: TensorType, _ rng: inout SeededRNG) -> Tensor {
        let low: Double = type.dtype.isFloat ? -1 : (type.dtype.isUnsignedInteger ? 0 : -5)
        let high: Double = type.dtype.isFloat ? 1 : 5
        return Tensor.random(type, using: &rng, low: low, high: high)
    }

    /// Whether every condition holds with the input's name bound to one element; a condition that cannot be
    /// evaluated counts as holding (the reference interpreter will report the real problem).
    static func holds(_ conditions: [Expr], _ name: String, _ value: Scalar, _ ev: Evaluator) -> Bool {
        conditions.allSatisfy { c in (try? ev.eval(c, [name: .scalar(value)]).asBool()) ?? true }
    }
}
