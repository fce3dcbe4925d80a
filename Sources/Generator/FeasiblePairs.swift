import SpecLib
import TensorCore

/// The operator pairs that can actually be connected (some output of the first feeds some input of the
/// second), found by solving: the true denominator of pair coverage.
public enum FeasiblePairs {
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, samples: Int = 6, seed: UInt64 = 1) -> Set<String> {
        var rng = SeededRNG(seed: seed)
        var request = SolverRequest()
        request.allowedDTypes = config.dtypes
        request.maxElements = config.maxElements
        request.maxRank = config.maxRank
        request.attempts = 4
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

/// The attribute bins some instance can actually reach (the solver finds one with a value of the bin
/// pinned): the true denominator of attribute-bin coverage.
public enum ReachableBins {
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, seed: UInt64 = 2) -> Set<String> {
        var rng = SeededRNG(seed: seed)
        var request = SolverRequest()
        request.allowedDTypes = config.dtypes
        request.maxElements = config.maxElements
        request.maxRank = config.maxRank
        request.attempts = 8
        var out: Set<String> = []
        for op in ops {
            let solver = Solver(spec: op)
            for decl in op.attributes {
                for bin in AttributeBins.all(decl, maxRank: config.maxRank).sorted() {
                    for value in AttributeBins.representatives(decl, bin: bin, maxRank: config.maxRank) {
                        var r = request
                        r.fixedAttributes = [decl.name: value]
                        if let i = solver.solve(r, using: &rng), i.attributes[decl.name] == value {
                            out.insert("\(op.name).\(decl.name)=\(bin)")
                            break
                        }
                    }
                }
            }
        }
        return out
    }
}
