/// One implementation of a swappable piece of the compiler (a loop-nest transformation, a lowering rule, the
/// rounding function of the C prelude, the liveness of buffer reuse), under a name.
///
/// Fault injection swaps a piece for a named faulty implementation (`LoweringVariants(injecting:)`), so the code
/// that uses a piece never asks which faults are on. Two variants are the same when their names are: options that
/// hold them stay comparable and hashable, and a name says which implementation ran.
public struct Variant<Implementation: Sendable>: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let implementation: Implementation

    public init(_ name: String, _ implementation: Implementation) {
        self.name = name
        self.implementation = implementation
    }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    public var description: String { name }
}
