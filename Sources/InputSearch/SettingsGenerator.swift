import Generator
import SpecLib

/// The generator of a `GenerationSettings` value, with this target's feasibility check.
extension GenerationSettings {
    /// The check the generator runs on each insertion: the input search finds a finite state, unless `valueCheck` is off.
    public func feasibility(library: SpecLibrary) -> (any FeasibilityCheck)? {
        valueCheck ? SearchFeasibility(library: library) : nil
    }

    /// The model generator of these settings; a `GeneratorError` for a request it cannot meet or an unreadable
    /// kernel table.
    public func generator(library: SpecLibrary) throws -> ModelGenerator {
        try ModelGenerator(library: library, config: config(), feasibility: feasibility(library: library))
    }
}
