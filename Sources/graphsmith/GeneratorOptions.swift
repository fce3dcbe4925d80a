import Foundation
import ArgumentParser
import Generator
import InputSearch
import SpecLib
import TensorCore

/// The options that shape generated models, shared by `gen`, `coverage` and `bench gen`.
struct GeneratorOptions: ParsableArguments {
    @Option(help: "Operators per model.")
    var nodes = 10

    @Option(help: ArgumentHelp("Only these operators (comma-separated).", valueName: "ops"))
    var include: String?

    @Option(help: ArgumentHelp("Never these operators (comma-separated).", valueName: "ops"))
    var exclude: String?

    @Option(help: ArgumentHelp("Only these dtypes (comma-separated, e.g. f32,i64,bool).", valueName: "dtypes"))
    var dtypes: String?

    @Option(help: ArgumentHelp("Only what this kernel table allows: dtype signatures and attribute bins (from 'graphsmith kernels').", valueName: "file"))
    var kernels: String?

    @Option(help: "Largest number of elements of any tensor (default 65536; 4096 for fuzz, where small models mean more tests per second).")
    var maxElements: Int?

    /// The default of --max-elements outside `fuzz`.
    static let defaultMaxElements = 65_536

    @Option(help: "Largest rank of any tensor.")
    var maxRank = 5

    @Flag(help: "Keep every type-correct insertion, even one that leaves the model no inputs on which all values are finite and inside every domain (faster; the input search then fails on some models).")
    var noValueCheck = false

    /// The generator of these options, with the feasibility check unless --no-value-check.
    func generator(library: SpecLibrary, config: GeneratorConfig) throws -> ModelGenerator {
        try asUserError("gen") {
            try ModelGenerator(library: library, config: config, feasibility: noValueCheck ? nil : SearchFeasibility(library: library))
        }
    }

    func config(defaultMaxElements: Int = Self.defaultMaxElements) throws -> GeneratorConfig {
        var c = GeneratorConfig()
        c.nodes = nodes
        c.maxElements = maxElements ?? defaultMaxElements
        c.maxRank = maxRank
        c.include = include.map { Set(Self.list($0)) }
        c.exclude = Set(exclude.map(Self.list) ?? [])
        c.dtypes = Set(try (dtypes.map(Self.list) ?? []).map { name -> DType in
            guard let d = DType(rawValue: name) else { throw UserError("unknown dtype '\(name)' in --dtypes") }
            return d
        })
        if let path = kernels {
            let text = try TextFile.read(path)
            guard let entries = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String]],
                  let table = KernelTable(entries: entries) else {
                throw UserError("\(path): not a kernel table (a JSON object of operator name to signature list)")
            }
            c.kernels = table
        }
        guard nodes >= 1 else { throw UserError("--nodes must be at least 1") }
        guard c.maxElements >= 1 else { throw UserError("--max-elements must be at least 1") }
        guard (0...8).contains(maxRank) else { throw UserError("--max-rank must be between 0 and 8") }
        return c
    }

    static func list(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
