import SpecLang
import SpecLib
import TensorCore

/// Compares the gradients the search records for an operator instance with central finite differences.
///
/// The objective is a fixed random weighting of the float outputs, computed in float64 with casts
/// to float dtypes not rounded (so the function is smooth where the spec is). Exact derivatives are
/// used, not the search's proxies. A point is skipped when a step of h changes a discrete choice
/// (a branch, a max's winner, a rounding), i.e. when it lies near a kink, or when a value is not finite.
public enum GradientCheck {
    /// What one instance's check found.
    public struct Report: Sendable {
        /// Input elements compared.
        public var checked = 0
        /// Input elements skipped (near a kink, or a non-finite value).
        public var skipped = 0
        /// One line per element whose recorded derivative differs from the finite difference.
        public var failures: [String] = []
    }

    /// Checks up to `samples` elements of every float input; nil when the instance has no float input or output.
    public static func run(_ instance: OpInstance, inputs: [Tensor], seed: UInt64, samples: Int = 4) throws -> Report? {
        let floats = inputs.indices.filter { inputs[$0].dtype.isFloat }
        guard !floats.isEmpty, instance.outputTypes.contains(where: { $0.dtype.isFloat }) else { return nil }
        let active = inputs.map(\.dtype.isFloat)
        let op = CompiledOp(instance, activeInputs: active)
        var rng = SeededRNG(seed: seed)
        let weights = instance.outputTypes.map { t in t.dtype.isFloat ? (0..<t.count).map { _ in rng.double(in: -1, 1) } : [] }
        let values = inputs.map(\.doubles)
        let base = try objective(op, inputs, values, weights, gradient: true)
        guard base.value.isFinite else { return Report(checked: 0, skipped: floats.count, failures: []) }
        var report = Report()
        for k in floats where inputs[k].count > 0 {
            for _ in 0..<samples {
                let o = rng.int(in: 0...(inputs[k].count - 1))
                let x = values[k][o], h = 1e-6 * max(1, abs(x))
                var up = values, down = values
                up[k][o] = x + h
                down[k][o] = x - h
                let f1 = try objective(op, inputs, up, weights, gradient: false)
                let f0 = try objective(op, inputs, down, weights, gradient: false)
                guard f1.decisions == base.decisions, f0.decisions == base.decisions, f1.value.isFinite, f0.value.isFinite else {
                    report.skipped += 1
                    continue
                }
                let fd = (f1.value - f0.value) / (2 * h), g = base.gradient[k][o]
                // Truncation error of the difference, and float64 rounding of the objective divided by h.
                let tolerance = 1e-4 * max(1, abs(g), abs(fd)) + 1e-12 * base.scale / h
                report.checked += 1
                if !(abs(g - fd) <= tolerance) {
                    report.failures.append("\(instance.inputPorts[k].name)[\(o)] = \(x): recorded derivative \(g), finite difference \(fd)")
                }
            }
        }
        return report
    }

    private struct Evaluation {
        var value: Double
        /// Sum of the magnitudes of the objective's terms, for the rounding error.
        var scale: Double
        var decisions: UInt64
        /// d(objective)/d(element), per input (empty for inputs without gradient).
        var gradient: [[Double]]
    }

    private static func objective(_ op: CompiledOp, _ inputs: [Tensor], _ values: [[Double]], _ weights: [[Double]],
                                  gradient: Bool) throws -> Evaluation {
        let instance = op.instance
        var tape = Tape()
        var ids: [[Int32]?] = []
        var views: [TensorView] = []
        for (k, port) in instance.inputPorts.enumerated() {
            let segments = instance.segments[port.name]!
            guard op.activeInputs[k] else {
                ids.append(nil)
                views.append(TensorView(inputs[k], segments: segments))
                continue
            }
            let first = tape.leaves(inputs[k].count)
            ids.append((0..<Int32(inputs[k].count)).map { first + $0 })
            let v = values[k]
            views.append(TensorView(shape: inputs[k].shape, segments: segments) { .float(v[$0]) })
        }
        let r = try OpTrace.run(op, views: views, ids: ids, tape: &tape,
                                options: .init(proxy: false, roundCasts: false, recordDecisions: true))
        var e = Evaluation(value: 0, scale: 0, decisions: r.decisions, gradient: [])
        var seeds: [(Int32, Double)] = []
        for (o, w) in weights.enumerated() {
            for (i, wi) in w.enumerated() {
                let y = r.raw[o][i].asDouble
                e.value += wi * y
                e.scale += abs(wi * y)
                seeds.append((r.ids[o][i], wi))
            }
        }
        guard gradient else { return e }
        let adjoint = tape.backward(seeds: seeds)
        e.gradient = ids.map { i in i.map { $0.map { adjoint[Int($0)] } } ?? [] }
        return e
    }
}
