import SpecLib

/// One row of `graphsmith backends list`.
public struct BackendListing: Codable, Sendable {
    public var name: String
    /// `in-repo`, `external` (a shipped adapter) or `plugin`.
    public var kind: String
    public var available: Bool
    /// Why it is not available.
    public var reason: String?
    public var version: String?
    public var capabilities: BackendCapabilities?

    /// Every backend of `registry`; outside compilers are started once to learn whether they run here.
    public static func rows(_ registry: BackendRegistry, library: SpecLibrary, plugins: Set<String> = []) -> [BackendListing] {
        registry.entries.map { name, entry in
            guard let backend = registry.make(name, library: library) else {
                return BackendListing(name: name, kind: "unknown", available: false, reason: "cannot be built")
            }
            let kind: String
            switch entry {
            case .compiler: kind = "in-repo"
            case .external(let a): kind = plugins.contains(a.file) ? "plugin" : "external"
            }
            let why = backend.unavailableReason()
            return BackendListing(name: name, kind: kind, available: why == nil, reason: why, version: backend.version,
                                  capabilities: why == nil ? backend.capabilities : nil)
        }
    }
}
