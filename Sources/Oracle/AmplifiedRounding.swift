import Backends
import ModelIR
import Reference
import SpecLib
import TensorCore

/// Tells a runtime's tolerated rounding, made large by a discontinuous operator, apart from a wrong result.
///
/// An external runtime rounds differently from the reference (float16 sums kept in float32 inside the graph, its
/// own `tanh`), within tolerance. A comparison, a `Floor`, an `ArgMax` or a cast to an integer can turn such a
/// difference into a large one: `Greater(a, b)` flips when `a` and `b` are one rounding apart. The localizer names
/// the first node whose output leaves tolerance; that node is run on the reference with the runtime's own values of
/// its inputs, and again with those values moved at random within their dtype's tolerance. When every output
/// element of the runtime is what one of those runs gives, the node is right for inputs the runtime may
/// legitimately have seen, and the divergence says nothing about the runtime.
///
/// An operator that accumulates (a reduction, a normalization) can amplify its own rounding too:
/// `MeanVarianceNormalization` of a slice whose values are all equal divides
/// `x - mean` by `sqrt(var) + 1e-9`, so a mean one ulp off (a reduction summed in another order) turns the 0 of every
/// element into about ±1. Random moves never land on the runtime's exact value there, so a float element is also
/// explained when it lies between two of the runs' values that are close neighbours (at most a quarter of their
/// whole spread apart, tolerance added, over 48 runs): the operator's output sweeps that range under tolerated moves of its
/// inputs. An output that jumps between levels (a `MaxPool` picking one of two far-apart values) leaves a wide gap,
/// and a value inside the gap stays a wrong result. Tolerances are the oracle's: a backend's
/// precision policy (`PrecisionPolicy`) widens them for the dtypes it computes in less precision. (The in-repo compiler is not judged
/// this way: it must match the reference bit for bit, so a flipped comparison there is a real rounding bug.)
///
/// The node's own outputs are compared at the tolerance its spec declares for their dtype (`tolerance f64 rtol
/// 1e-6`) when that is wider: ONNX defines float64 `Gelu` by a function body holding float32 constants, so a
/// runtime that expands it is right to a float32-sized relative error.
struct AmplifiedRounding {
    let library: SpecLibrary
    let oracle: Oracle
    /// Runs with moved inputs, besides the one with the runtime's values (enough for a sweep to be dense).
    var trials = 48

    /// Whether node `i` of `model`, whose outputs on `backend` were `outputs`, is computed right from (tolerated
    /// neighbours of) the backend's own values of its inputs.
    func explains(node i: Int, outputs: [Tensor], backend: any Backend, model: Model, inputs: [String: Tensor]) -> Bool {
        guard let values = backendInputs(of: i, backend: backend, model: model, inputs: inputs) else { return false }
        let node = model.nodes[i], types = model.valueTypes
        let names = Array(Set(node.inputs)).sorted()
        let single = Model(inputs: names.map { ValueInfo($0, types[$0]!) }, weights: [], nodes: [node], outputs: node.outputs.map(\.name))
        var unexplained = outputs.map { [Bool](repeating: true, count: $0.count) }
        var seen = outputs.map { [[Double]](repeating: [], count: $0.count) }
        var rng = SeededRNG(seed: 0xA3F1_2D)
        let spec = library.spec(named: node.op)
        // The operator's own outputs are judged at the tolerance ONNX defines them to, when its spec declares a wider one.
        func tolerance(_ dtype: DType) -> Tolerance {
            let t = oracle.tolerance(for: dtype)
            guard let rtol = spec?.declaredTolerance(dtype), rtol > t.rtol else { return t }
            return Tolerance(rtol: rtol, atol: t.atol)
        }
        for trial in 0...trials {
            var fed: [String: Tensor] = [:]
            for name in names { fed[name] = trial == 0 ? values[name]! : moved(values[name]!, &rng) }
            guard let expected = try? Interpreter.outputs(single, library: library, inputs: fed), expected.count == outputs.count else { continue }
            for (k, (got, want)) in zip(outputs, expected).enumerated() where got.type == want.type {
                let tolerance = tolerance(want.dtype)
                for e in 0..<got.count where unexplained[k][e] {
                    if tolerance.accepts(got.double(at: e), want.double(at: e)) { unexplained[k][e] = false }
                    if want.dtype.isFloat, want.double(at: e).isFinite { seen[k][e].append(want.double(at: e)) }
                }
            }
            if unexplained.allSatisfy({ !$0.contains(true) }) { return true }
        }
        // Only an operator that accumulates rounds inside itself; an element-wise one rounds once, and whatever its
        // output amplifies is its inputs' differences, which the moved runs above already stand for.
        guard let spec, OpClass.of(spec) != .injective else { return false }
        for (k, got) in outputs.enumerated() where got.dtype.isFloat {
            let tolerance = oracle.tolerance(for: got.dtype)
            for e in 0..<got.count where unexplained[k][e] && Self.sweeps(seen[k][e], over: got.double(at: e), tolerance) {
                unexplained[k][e] = false
            }
        }
        return unexplained.allSatisfy { !$0.contains(true) }
    }

    /// Whether `x` lies between two neighbouring `values` (sorted, widened by `tolerance`) at most a quarter of the
    /// values' spread apart: the values sweep a range that holds `x`, rather than jumping between discrete levels.
    static func sweeps(_ values: [Double], over x: Double, _ tolerance: Tolerance) -> Bool {
        guard values.count >= 4, x.isFinite else { return false }
        let sorted = values.sorted()
        let spread = sorted.last! - sorted.first!
        guard spread > 0 else { return false }
        for (lo, hi) in zip(sorted, sorted.dropFirst()) where hi - lo <= spread / 4 {
            let slackLo = tolerance.atol + tolerance.rtol * abs(lo), slackHi = tolerance.atol + tolerance.rtol * abs(hi)
            if x >= lo - slackLo && x <= hi + slackHi { return true }
        }
        return false
    }

    /// Every value node `i` reads: inputs and weights as given, computed values as the backend computes them
    /// (the model cut just before the node). Nil when the backend cannot run the cut model.
    private func backendInputs(of i: Int, backend: any Backend, model: Model, inputs: [String: Tensor]) -> [String: Tensor]? {
        let producer = Localizer.producers(model)
        var values = inputs
        for w in model.weights { values[w.name] = w.value }
        let computed = Array(Set(model.nodes[i].inputs.filter { producer[$0] != nil })).sorted()
        guard !computed.isEmpty else { return values }
        let cut = Localizer.prefix(model, computing: computed, producer: producer)
        guard let got = try? backend.run(cut, inputs: Localizer.used(cut, inputs)), got.count == computed.count else { return nil }
        for (name, t) in zip(computed, got) { values[name] = t }
        return values
    }

    /// A float tensor with every element moved at random within its dtype's tolerance (others as they are).
    func moved(_ t: Tensor, _ rng: inout SeededRNG) -> Tensor {
        guard t.dtype.isFloat else { return t }
        let tol = oracle.tolerance(for: t.dtype)
        return Tensor(dtype: t.dtype, shape: t.shape, doubles: t.doubles.map { x in
            x + rng.double(in: -1, 1) * (tol.atol + tol.rtol * abs(x))
        })
    }
}
