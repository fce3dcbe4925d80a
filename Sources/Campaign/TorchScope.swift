import Backends
import Generator
import SpecLib
import TensorCore

/// What a campaign generates when a backend reads torch modules: only operators with a `torch` line, and only dtypes
/// the backend computes, so that no test is spent on a model it cannot take.
public enum TorchScope {
    /// `settings` narrowed for `backends` (names in `registry`, with what each declares in `capabilities`), and a note
    /// saying what was left out; unchanged with no note when no backend reads torch modules.
    public static func narrowed(_ settings: GenerationSettings, backends: [String], registry: BackendRegistry,
                                library: SpecLibrary, capabilities: [String: BackendCapabilities]) -> (settings: GenerationSettings, note: String?) {
        let torch = backends.filter { name in
            if case .external(let adapter) = registry.entry(name) { return adapter.modelFormat == .torch }
            return false
        }
        guard !torch.isEmpty else { return (settings, nil) }
        var out = settings
        let unmapped = library.operators.filter { $0.file.torchMappings.isEmpty }.map(\.name)
        out.exclude = Array(Set(settings.exclude).union(unmapped)).sorted()
        var refused: Set<DType> = []
        for name in torch { refused.formUnion(capabilities[name]?.unsupportedDTypes ?? []) }
        let allowed = (settings.dtypes.isEmpty ? DType.allCases : settings.dtypes).filter { !refused.contains($0) }
        if !refused.isEmpty { out.dtypes = allowed }
        var parts: [String] = []
        if !unmapped.isEmpty { parts.append("\(unmapped.count) operators without a torch line (\(unmapped.joined(separator: ", ")))") }
        if !refused.isEmpty { parts.append("dtypes \(refused.map(\.rawValue).sorted().joined(separator: ", "))") }
        let note = parts.isEmpty ? nil : "note: \(torch.joined(separator: ", ")) read torch modules: models leave out " + parts.joined(separator: " and ")
        return (out, note)
    }
}
