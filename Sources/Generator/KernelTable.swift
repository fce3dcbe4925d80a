import SpecLib
import TensorCore

/// Which operator instances a target runtime has kernels for, as probed by `graphsmith kernels`.
///
/// The file form is a JSON object of operator name to entries. An entry is a dtype signature
/// (`f32,i64->f32`), meaning every attribute form of it runs, or a signature and one attribute bin
/// (`f64->f64 approximate=tanh`), meaning that signature runs only with the attribute in one of the bins its
/// entries list (other attributes unrestricted unless they have entries too). Bins are `AttributeBins.bin`.
public struct KernelTable: Sendable, Hashable {
    /// Per operator, per dtype signature: the attributes that are restricted and their allowed bins.
    public private(set) var kernels: [String: [String: [String: Set<String>]]] = [:]
    /// Per operator, per input position (weights included): the dtypes some kernel takes there.
    public private(set) var inputDTypes: [String: [Int: Set<DType>]] = [:]

    public init() {}

    /// Parses the file form; nil when an entry is malformed.
    public init?(entries: [String: [String]]) {
        for (op, list) in entries {
            var signatures: [String: [String: Set<String>]] = [:]
            for entry in list {
                // The signature has no spaces; a bin may (`2-3 axes`).
                let parts = entry.split(separator: " ", maxSplits: 1)
                guard let signature = parts.first.map(String.init), signature.contains("->") else { return nil }
                var restrictions = signatures[signature] ?? [:]
                if parts.count == 2 {
                    guard let eq = parts[1].firstIndex(of: "=") else { return nil }
                    restrictions[String(parts[1][..<eq]), default: []].insert(String(parts[1][parts[1].index(after: eq)...]))
                }
                signatures[signature] = restrictions
                noteInputs(op, signature)
            }
            kernels[op] = signatures
        }
    }

    /// Records the input dtypes of `signature` (`f32,i64->f32`), so the generator need not offer others.
    private mutating func noteInputs(_ op: String, _ signature: String) {
        let inputs = signature.split(separator: "-", maxSplits: 1).first.map { $0.split(separator: ",") } ?? []
        for (k, name) in inputs.enumerated() {
            if let d = DType(rawValue: String(name)) { inputDTypes[op, default: [:]][k, default: []].insert(d) }
        }
    }

    /// The file form: sorted entries per operator.
    public var entries: [String: [String]] {
        kernels.mapValues { signatures in
            signatures.flatMap { signature, restrictions in
                restrictions.isEmpty ? [signature]
                    : restrictions.flatMap { attribute, bins in bins.map { "\(signature) \(attribute)=\($0)" } }
            }.sorted()
        }
    }

    /// Records that `signature` of `op` runs, with `restrictions` (attribute to allowed bins; empty: any form).
    public mutating func add(_ op: String, _ signature: String, restrictions: [String: Set<String>] = [:]) {
        kernels[op, default: [:]][signature] = restrictions
        noteInputs(op, signature)
    }

    /// Adds every kernel of `other` (a table of other operators, or of the same ones: `other`'s restrictions win).
    public mutating func merge(_ other: KernelTable) {
        for (op, signatures) in other.kernels {
            for (signature, restrictions) in signatures { add(op, signature, restrictions: restrictions) }
        }
    }

    /// Whether the operator has any kernel at all.
    public func hasKernels(_ op: String) -> Bool { !(kernels[op]?.isEmpty ?? true) }

    /// Whether the runtime has a kernel for this instance: its signature and every restricted attribute's bin.
    public func allows(_ instance: OpInstance) -> Bool {
        guard let restrictions = kernels[instance.name]?[KernelSignature.of(instance)] else { return false }
        for (name, bins) in restrictions {
            guard let decl = instance.spec.attribute(name), let value = instance.attributes[name] else { continue }
            if !bins.contains(AttributeBins.bin(value, decl)) { return false }
        }
        return true
    }
}
