import SpecLib

/// When operator fusion may put a producer and its consumer in one kernel: a value, so that a variant can be
/// swapped in without a branch in the planner.
public struct FusionRule: Sendable {
    let decide: @Sendable (_ producer: OpClass, _ consumer: OpClass, _ uses: Int) -> Bool

    /// A rule deciding by the producer's and consumer's classes and the number of reads of the value between them.
    public init(_ decide: @escaping @Sendable (_ producer: OpClass, _ consumer: OpClass, _ uses: Int) -> Bool) {
        self.decide = decide
    }

    /// Whether the edge may fuse.
    public func fuses(producer: OpClass, consumer: OpClass, uses: Int) -> Bool { decide(producer, consumer, uses) }

    /// The compiler's rule (`FusionGroups.canFuse`): a single-reader value into an injective consumer.
    public static let standard = FusionRule { FusionGroups.canFuse(producer: $0, consumer: $1, uses: $2) }
}
