import SpecLib
import TensorCore

/// The operator pairs that can actually be connected (some output of the first feeds some input of the
/// second), found by solving: the true denominator of pair coverage.
public enum FeasiblePairs {
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, samples: Int = 6, seed: UInt64 = 1) -> Set<String> {
        var rng = SeededRNG(seed: seed)
        let request = config.solverRequest(attempts: 4)
        // Sample outputs of every producer once; try each consumer against them.
        var outputs: [String: [TensorType]] = [:]
        for op in ops {
            let solver = Solver(spec: op)
            var types: [TensorType] = []
            for _ in 0..<samples { if let i = solver.solve(request, using: &rng) { types += i.outputTypes } }
            outputs[op.name] = types
        }
        var pairs: Set<String> = []
        for consumer in ops {
            let solver = Solver(spec: consumer)
            let ports = consumer.inputs.indices.filter { consumer.inputs[$0].role == .input }
            for producer in ops {
                let candidates = outputs[producer.name] ?? []
                search: for type in candidates {
                    for k in ports where consumer.allowedDTypes(consumer.inputs[k]).contains(type.dtype) {
                        var r = request
                        r.fixedInputs = [k: type]
                        if solver.solve(r, using: &rng) != nil {
                            pairs.insert("\(producer.name)->\(consumer.name)")
                            break search
                        }
                    }
                }
            }
        }
        return pairs
    }
}
