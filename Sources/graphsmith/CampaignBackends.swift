import Backends
import Campaign
import SpecLib

/// The backends a saved campaign names, checked before one of its findings reruns (`replay`, `reduce`): a finding
/// whose compiler is not installed here cannot reproduce, and calling it "changed" would put the blame on the
/// compiler. One line naming the finding, the backend and why, exit 2.
enum CampaignBackends {
    static func requireAvailable(_ config: CampaignConfig, finding: String, library: SpecLibrary) throws {
        let registry = BackendRegistry.load(plugins: config.plugins)
        for name in config.backends {
            guard let backend = registry.make(name, library: library) else {
                throw UserError("\(finding): its campaign's backend '\(name)' is unknown here (known: \(registry.names.joined(separator: ", ")))")
            }
            if let why = backend.unavailableReason() {
                throw UserError("\(finding): its campaign's backend '\(name)' cannot run here: \(why)")
            }
        }
    }
}
