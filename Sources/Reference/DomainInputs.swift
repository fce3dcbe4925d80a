import SpecLang
import SpecLib
import TensorCore

/// Random inputs for one operator instance that respect its spec's value domains (`domain X: X > 0`).
///
/// Elements are drawn uniformly (floats in [-range, range), integers in [-5, 5], unsigned in
/// [0, 5]) and redrawn while they break a domain condition; after `maxRedraws` the last draw stays.
/// This is the simple sampler of `specs test`; the gradient-based input search handles whole models.
public enum DomainInputs {
    /// With `floatDomains` false only integer inputs are kept inside their domains (where leaving it is an
    /// error, not NaN); the generator does so and leaves float values to the input search.
    public static func sample(for instance: OpInstance, using rng: inout SeededRNG, range: Double = 2, maxRedraws: Int = 64,
                              floatDomains: Bool = true) -> [Tensor] {
        sample(for: instance, ports: Array(instance.inputPorts.indices), using: &rng, range: range, maxRedraws: maxRedraws,
               floatDomains: floatDomains).map { $0! }
    }

    /// Values for the given input positions (of `instance.inputPorts`) only (nil elsewhere), so nothing is drawn for inputs fed by other values.
    public static func sample(for instance: OpInstance, ports wanted: [Int], using rng: inout SeededRNG, range: Double = 2,
                              maxRedraws: Int = 64, floatDomains: Bool = true) -> [Tensor?] {
        let spec = instance.spec
        let wantedSet = Set(wanted)
        return zip(instance.inputPorts, instance.inputTypes).enumerated().map { k, pair -> Tensor? in
            guard wantedSet.contains(k) else { return nil }
            let (port, type) = pair
            let enforce = floatDomains || !type.dtype.isFloat
            let conditions = enforce ? spec.file.domains.filter { $0.tensor == port.name }.map(\.condition) : []
            if conditions.isEmpty && (type.dtype == .f32 || type.dtype == .f64) {
                return Tensor(dtype: type.dtype, shape: type.shape, bits: fastFloats(type, range, &rng))
            }
            var bits: [UInt64] = []
            bits.reserveCapacity(type.count)
            // Integer draws come from a handful of values: remember each one's verdict.
            var known: [UInt64: Bool] = [:]
            func ok(_ b: UInt64) -> Bool {
                if type.dtype.isFloat { return satisfies(b, type.dtype, port.name, conditions, instance.evaluator) }
                if let v = known[b] { return v }
                let v = satisfies(b, type.dtype, port.name, conditions, instance.evaluator)
                known[b] = v
                return v
            }
            for _ in 0..<type.count {
                var b = draw(type.dtype, range, &rng)
                var tries = 0
                while tries < maxRedraws, !conditions.isEmpty, !ok(b) {
                    b = draw(type.dtype, range, &rng)
                    tries += 1
                }
                bits.append(b)
            }
            return Tensor(dtype: type.dtype, shape: type.shape, bits: bits)
        }
    }

    /// The same values `draw` gives for f32 and f64, without the general conversion path: big weights are common.
    private static func fastFloats(_ type: TensorType, _ range: Double, _ rng: inout SeededRNG) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: type.count) { buffer, initialized in
            for k in 0..<type.count {
                let x = rng.double(in: -range, range)
                buffer[k] = type.dtype == .f32 ? UInt64(Float(x).bitPattern) : x.bitPattern
            }
            initialized = type.count
        }
    }

    private static func draw(_ dtype: DType, _ range: Double, _ rng: inout SeededRNG) -> UInt64 {
        let value: Scalar
        if dtype.isFloat {
            value = .float(rng.double(in: -range, range))
        } else if dtype.isBool {
            value = .bool(rng.bool())
        } else {
            value = .int(Int64(rng.int(in: (dtype.isUnsignedInteger ? 0 : -5)...5)))
        }
        return ElementCodec.bits(of: value, as: dtype)
    }

    /// Whether every element of `tensor`, as input `port` of `instance`, satisfies the port's domain conditions.
    public static func holds(_ tensor: Tensor, port: Int, of instance: OpInstance) -> Bool {
        let name = instance.inputPorts[port].name
        let conditions = instance.spec.file.domains.filter { $0.tensor == name }.map(\.condition)
        guard !conditions.isEmpty else { return true }
        var known: [UInt64: Bool] = [:]
        return tensor.bits.allSatisfy { b in
            if let v = known[b] { return v }
            let v = satisfies(b, tensor.dtype, name, conditions, instance.evaluator)
            known[b] = v
            return v
        }
    }

    private static func satisfies(_ bits: UInt64, _ dtype: DType, _ name: String, _ conditions: [Expr], _ ev: Evaluator) -> Bool {
        let element = Value.scalar(ElementCodec.scalar(bits: bits, dtype: dtype))
        return conditions.allSatisfy { (try? ev.eval($0, [name: element]).asBool()) ?? false }
    }
}
