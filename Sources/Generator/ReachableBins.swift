import SpecLib
import TensorCore

/// The attribute bins some instance can actually reach (the solver finds one with a value of the bin
/// pinned): the true denominator of attribute-bin coverage.
public enum ReachableBins {
    /// Each operator draws from its own random stream (split from `seed` by its position), so the work is spread
    /// over the cores with the same result on any number of them.
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, seed: UInt64 = 2) -> Set<String> {
        let base = SeededRNG(seed: seed)
        let request = config.solverRequest(attempts: 8)
        let rows: [[String]] = Array(ops.enumerated()).parallelMap { k, op in
            var rng = base.split(UInt64(k))
            let solver = Solver(spec: op)
            var out: [String] = []
            for decl in op.attributes {
                for bin in AttributeBins.all(decl, maxRank: config.maxRank).sorted() {
                    for value in AttributeBins.representatives(decl, bin: bin, maxRank: config.maxRank) {
                        var r = request
                        r.fixedAttributes = [decl.name: value]
                        if let i = solver.solve(r, using: &rng), i.attributes[decl.name] == value {
                            out.append("\(op.name).\(decl.name)=\(bin)")
                            break
                        }
                    }
                }
            }
            return out
        }
        return Set(rows.joined())
    }
}
