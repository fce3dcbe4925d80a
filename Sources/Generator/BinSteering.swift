import SpecLang
import SpecLib
import TensorCore

/// An operator's attributes with the values of each of their coverage bins (`AttributeBins`), to pin one
/// attribute to a bin drawn uniformly. A free draw follows the declared range, so bins that need a deep shape
/// (`axis` = 4) or a narrow slice of the range come up rarely; steering gives every bin of an attribute the same
/// chance.
struct BinSteering: Sendable {
    struct Target: Sendable {
        let attribute: String
        /// For each bin, the values that fall in it.
        let bins: [[AttributeValue]]
    }

    let targets: [Target]

    /// The attributes of `spec` with at least two bins, each bin with at least one value.
    init(_ spec: OpSpec, maxRank: Int) {
        targets = spec.attributes.compactMap { decl in
            let bins = AttributeBins.all(decl, maxRank: maxRank).sorted()
                .map { AttributeBins.representatives(decl, bin: $0, maxRank: maxRank) }
                .filter { !$0.isEmpty }
            return bins.count >= 2 ? Target(attribute: decl.name, bins: bins) : nil
        }
    }

    /// One attribute and a value of one of its bins, each drawn uniformly; nil when no attribute has bins to choose.
    func pick(_ rng: inout SeededRNG) -> (attribute: String, value: AttributeValue)? {
        guard !targets.isEmpty else { return nil }
        let target = targets[rng.int(in: 0...(targets.count - 1))]
        let values = target.bins[rng.int(in: 0...(target.bins.count - 1))]
        return (target.attribute, values[rng.int(in: 0...(values.count - 1))])
    }
}
