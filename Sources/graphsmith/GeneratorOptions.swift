import ArgumentParser
import Generator
import InputSearch
import SpecLib
import TensorCore

/// The options that shape generated models, shared by `gen`, `coverage` and `bench gen`.
struct GeneratorOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Operators per model.")
    var nodes = 10

    @Option(help: ArgumentHelp("Only these operators (comma-separated).", valueName: "ops"))
    var include: String?

    @Option(help: ArgumentHelp("Never these operators (comma-separated).", valueName: "ops"))
    var exclude: String?

    @Option(help: ArgumentHelp("Only these dtypes (comma-separated, e.g. f32,i64,bool).", valueName: "dtypes"))
    var dtypes: String?

    @Option(help: ArgumentHelp("Only what this kernel table allows: dtype signatures and attribute bins (from 'graphsmith kernels').", valueName: "file"))
    var kernels: String?

    @Option(parsing: .unconditional, help: "Largest number of elements of any tensor (default 65536; 4096 for fuzz, where small models mean more tests per second).")
    var maxElements: Int?

    /// The default of --max-elements outside `fuzz`.
    static let defaultMaxElements = 65_536

    @Option(parsing: .unconditional, help: "Largest rank of any tensor.")
    var maxRank = 5

    @Flag(help: "Keep every type-correct insertion, even one that leaves the model no inputs on which all values are finite and inside every domain (faster; the input search then fails on some models).")
    var noValueCheck = false

    /// The generator of these options, making `nodes` operators when given (else --nodes), with the feasibility check
    /// unless --no-value-check.
    func generator(library: SpecLibrary, nodes: Int? = nil) throws -> ModelGenerator {
        let s = try settings()
        var config = try Self.config(s)
        if let nodes {
            try FlagChecks.nodes(nodes)
            config.nodes = nodes
        }
        return try asUserError("gen") {
            try ModelGenerator(library: library, config: config, feasibility: s.feasibility(library: library))
        }
    }

    /// The options as a settings value (dtype names checked); `defaultMaxElements` when --max-elements is not given.
    func settings(defaultMaxElements: Int = Self.defaultMaxElements) throws -> GenerationSettings {
        let types = try (dtypes.map(GenerationSettings.list) ?? []).map { name -> DType in
            guard let d = DType(rawValue: name) else { throw UserError("unknown dtype '\(name)' in --dtypes") }
            return d
        }
        return GenerationSettings(nodes: nodes, include: include.map(GenerationSettings.list), exclude: exclude.map(GenerationSettings.list) ?? [], dtypes: types,
                                  kernels: kernels, maxElements: maxElements ?? defaultMaxElements, maxRank: maxRank,
                                  valueCheck: !noValueCheck)
    }

    /// The generator configuration of settings: the kernel table read, and the limits checked.
    static func config(_ s: GenerationSettings) throws -> GeneratorConfig {
        let c = try s.config()
        try FlagChecks.nodes(s.nodes)
        guard s.maxElements >= 1 else { throw UserError("--max-elements must be at least 1") }
        guard (0...8).contains(s.maxRank) else { throw UserError("--max-rank must be between 0 and 8") }
        return c
    }

    /// The configuration of these options, each checked.
    func config(defaultMaxElements: Int = Self.defaultMaxElements) throws -> GeneratorConfig {
        try Self.config(try settings(defaultMaxElements: defaultMaxElements))
    }

    /// The long option names of these options.
    static let optionNames: Set<String> = ["--nodes", "--include", "--exclude", "--dtypes", "--kernels", "--max-elements", "--max-rank", "--no-value-check"]

    /// Whether a command line gives any of these options (`--nodes 5` or `--nodes=5`).
    static func given(in arguments: [String]) -> Bool {
        arguments.contains { optionNames.contains(String($0.prefix { $0 != "=" })) }
    }
}
