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
/// legitimately have seen, and the divergence says nothing about the runtime. Tolerances are the oracle's: a backend's
/// precision policy (`PrecisionPolicy`) widens them for the dtypes it computes in less precision. (The in-repo compiler is not judged
/// this way: it must match the reference bit for bit, so a flipped comparison there is a real rounding bug.)
struct AmplifiedRounding {
    let library: SpecLibrary
    let oracle: Oracle
    /// Runs with moved inputs, besides the one with the runtime's values.
    var trials = 16

    /// Whether node `i` of `model`, whose outputs on `backend` were `outputs`, is computed right from (tolerated
    /// neighbours of) the backend's own values of its inputs.
    func explains(node i: Int, outputs: [Tensor], backend: any Backend, model: Model, inputs: [String: Tensor]) -> Bool {
        guard let values = backendInputs(of: i, backend: backend, model: model, inputs: inputs) else { return false }
        let node = model.nodes[i], types = model.valueTypes
        let names = Array(Set(node.inputs)).sorted()
        let single = Model(inputs: names.map { ValueInfo($0, types[$0]!) }, weights: [], nodes: [node], outputs: node.outputs.map(\.name))
        var unexplained = outputs.map { [Bool](repeating: true, count: $0.count) }
        var rng = SeededRNG(seed: 0xA3F1_2D)
        for trial in 0...trials {
            var fed: [String: Tensor] = [:]
            for name in names { fed[name] = trial == 0 ? values[name]! : moved(values[name]!, &rng) }
            guard let expected = try? Interpreter.outputs(single, library: library, inputs: fed), expected.count == outputs.count else { continue }
            for (k, (got, want)) in zip(outputs, expected).enumerated() where got.type == want.type {
                let tolerance = oracle.tolerance(for: want.dtype)
                for e in 0..<got.count where unexplained[k][e] && tolerance.accepts(got.double(at: e), want.double(at: e)) {
                    unexplained[k][e] = false
                }
            }
            if unexplained.allSatisfy({ !$0.contains(true) }) { return true }
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
