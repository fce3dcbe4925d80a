import ModelIR
import SpecLib

/// What a set of models covers: operators, producer-to-consumer operator pairs, and attribute bins.
public struct Coverage: Sendable, Codable, Hashable {
    public var models = 0
    public var operators: [String: Int] = [:]
    /// `Producer->Consumer` edges.
    public var pairs: [String: Int] = [:]
    /// `Op.attribute=bin`.
    public var attributeBins: [String: Int] = [:]
    /// Compiler feedback (`FeedbackLog` entries such as `rule:Neg.double_neg`, `path:lower-modulo`): how many tests
    /// each was seen in.
    public var compiler: [String: Int] = [:]
    /// Tests whose inputs were moved toward each boundary value pattern (`BoundaryValues`), by pattern name.
    public var valuePatterns: [String: Int] = [:]

    public init() {}

    private enum CodingKeys: String, CodingKey { case models, operators, pairs, attributeBins, compiler, valuePatterns }

    /// Reads a coverage record; one written before compiler feedback has none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        models = try c.decode(Int.self, forKey: .models)
        operators = try c.decode([String: Int].self, forKey: .operators)
        pairs = try c.decode([String: Int].self, forKey: .pairs)
        attributeBins = try c.decode([String: Int].self, forKey: .attributeBins)
        compiler = try c.decodeIfPresent([String: Int].self, forKey: .compiler) ?? [:]
        valuePatterns = try c.decodeIfPresent([String: Int].self, forKey: .valuePatterns) ?? [:]
    }

    public mutating func add(_ model: Model, library: SpecLibrary) {
        models += 1
        var producer: [String: String] = [:]
        for node in model.nodes { for o in node.outputs { producer[o.name] = node.op } }
        for node in model.nodes {
            operators[node.op, default: 0] += 1
            for input in Set(node.inputs) {
                if let p = producer[input] { pairs["\(p)->\(node.op)", default: 0] += 1 }
            }
            guard let spec = library.spec(named: node.op) else { continue }
            for decl in spec.attributes {
                guard let v = node.attributes[decl.name] else { continue }
                attributeBins["\(node.op).\(decl.name)=\(AttributeBins.bin(v, decl))", default: 0] += 1
            }
        }
    }

    public mutating func merge(_ other: Coverage) {
        models += other.models
        operators.merge(other.operators, uniquingKeysWith: +)
        pairs.merge(other.pairs, uniquingKeysWith: +)
        attributeBins.merge(other.attributeBins, uniquingKeysWith: +)
        compiler.merge(other.compiler, uniquingKeysWith: +)
        valuePatterns.merge(other.valuePatterns, uniquingKeysWith: +)
    }
}

/// Coverage against its denominators: every spec, every feasible pair, every reachable attribute bin.
public struct CoverageReport: Sendable, Codable {
    public struct Ratio: Sendable, Codable {
        public var covered: Int
        public var total: Int
        public var percent: Double { total == 0 ? 100 : 100 * Double(covered) / Double(total) }
    }

    public var models: Int
    public var operators: Ratio
    public var pairs: Ratio
    public var attributeBins: Ratio
    public var missingOperators: [String]
    public var missingAttributeBins: [String]

    public init(_ c: Coverage, operators all: [OpSpec], feasiblePairs: Set<String>, reachableBins: Set<String>) {
        models = c.models
        let names = all.map(\.name)
        missingOperators = names.filter { c.operators[$0] == nil }
        operators = Ratio(covered: names.count - missingOperators.count, total: names.count)
        pairs = Ratio(covered: feasiblePairs.filter { c.pairs[$0] != nil }.count, total: feasiblePairs.count)
        let bins = reachableBins.sorted()
        missingAttributeBins = bins.filter { c.attributeBins[$0] == nil }.sorted()
        attributeBins = Ratio(covered: bins.count - missingAttributeBins.count, total: bins.count)
    }

    public var lines: [String] {
        func f(_ r: Ratio) -> String { String(format: "%d/%d (%.1f%%)", r.covered, r.total, r.percent) }
        return ["models: \(models)", "operators: \(f(operators))", "operator pairs (of feasible): \(f(pairs))", "attribute bins: \(f(attributeBins))"]
    }
}
