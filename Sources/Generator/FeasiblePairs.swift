import SpecLib
import TensorCore

/// The operator pairs that can actually be connected (some output of the first feeds some input of the
/// second), found by solving: the true denominator of pair coverage.
public enum FeasiblePairs {
    /// Each operator draws from its own random stream (split from `seed` by its position), so the work is spread
    /// over the cores (this runs at every campaign start and report) with the same result on any number of them.
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, samples: Int = 6, seed: UInt64 = 1) -> Set<String> {
        let base = SeededRNG(seed: seed)
        let request = config.solverRequest(attempts: 4)
        // Sample outputs of every producer once; try each consumer against them.
        let sampled: [[TensorType]] = Array(ops.enumerated()).parallelMap { k, op in
            var rng = base.split(UInt64(k))
            let solver = Solver(spec: op)
            var types: [TensorType] = []
            for _ in 0..<samples { if let i = solver.solve(request, using: &rng) { types += i.outputTypes } }
            return types
        }
        let outputs = Array(zip(ops.map(\.name), sampled))
        let rows: [[String]] = Array(ops.enumerated()).parallelMap { c, consumer in
            var rng = base.split(UInt64(ops.count + c))
            let solver = Solver(spec: consumer)
            let ports = consumer.inputs.indices.filter { consumer.inputs[$0].role == .input }
            var row: [String] = []
            for (producer, candidates) in outputs {
                search: for type in candidates {
                    for k in ports where consumer.allowedDTypes(consumer.inputs[k]).contains(type.dtype) {
                        var r = request
                        r.fixedInputs = [k: type]
                        if solver.solve(r, using: &rng) != nil {
                            row.append("\(producer)->\(consumer.name)")
                            break search
                        }
                    }
                }
            }
            return row
        }
        return Set(rows.joined())
    }
}
