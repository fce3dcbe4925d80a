import SpecLib
import TensorCore

/// The attribute bins some instance can actually reach (the solver finds one with a value of the bin
/// pinned): the true denominator of attribute-bin coverage.
public enum ReachableBins {
    public static func compute(_ ops: [OpSpec], config: GeneratorConfig, seed: UInt64 = 2) -> Set<String> {
        var rng = SeededRNG(seed: seed)
        let request = config.solverRequest(attempts: 8)
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
