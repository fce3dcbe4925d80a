import Generator
import TensorCore

/// Campaign directories written before `config.json` held `GenerationSettings` stored the generator options as the
/// command-line arguments `graphsmith fuzz` was given (`generatorArguments`: `--nodes 10 --max-elements 4096
/// --max-rank 5`, then `--include`, `--exclude`, `--dtypes`, `--kernels` with an absolute path and
/// `--no-value-check` when given). This reads that fixed vocabulary back, so old campaigns and the committed
/// `Corpus/` load with the same settings without the command-line parser.
extension GenerationSettings {
    /// The settings the arguments stand for; nil when one is not of the vocabulary above.
    init?(legacyArguments arguments: [String]) {
        self.init()
        var rest = arguments[...]
        while let first = rest.popFirst() {
            var name = first, value: String?
            // `--name=value`, which the command line also accepted.
            if let eq = first.firstIndex(of: "=") {
                name = String(first[..<eq])
                value = String(first[first.index(after: eq)...])
            }
            if name == "--no-value-check", value == nil {
                valueCheck = false
                continue
            }
            guard let v = value ?? rest.popFirst(), set(name, v) else { return nil }
        }
    }

    /// Sets the option `name` to `value`; false when the name is unknown or the value malformed.
    private mutating func set(_ name: String, _ value: String) -> Bool {
        switch name {
        case "--nodes": guard let n = Int(value) else { return false }; nodes = n
        case "--max-elements": guard let n = Int(value) else { return false }; maxElements = n
        case "--max-rank": guard let n = Int(value) else { return false }; maxRank = n
        case "--include": include = Self.list(value)
        case "--exclude": exclude = Self.list(value)
        case "--kernels": kernels = value
        case "--dtypes":
            let names = Self.list(value)
            guard names.allSatisfy({ DType(rawValue: $0) != nil }) else { return false }
            dtypes = names.compactMap(DType.init(rawValue:))
        default: return false
        }
        return true
    }
}
