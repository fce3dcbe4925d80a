/// Buffer reuse by liveness: assigns every value computed while a model runs a storage slot, handing a slot to a
/// later value once the last reader of its current value has run, so dead intermediates do not stay allocated.
public enum BufferReuse {
    /// The pass's name in `LoopPass.all`.
    public static let name = "buffer-reuse"

    /// One step of a run: the values it reads and the values it writes.
    public struct Step: Sendable {
        public var reads: [String]
        public var writes: [String]
        public init(reads: [String], writes: [String]) {
            self.reads = reads
            self.writes = writes
        }
    }

    /// A slot for every value written by `steps` (values in `given`, the inputs and weights, get slots first;
    /// values in `kept`, the outputs, are never released). With `reuse` false every value gets its own slot; with it,
    /// a value's slot is free after the step `liveness` says it dies at.
    public static func plan(_ steps: [Step], given: [String], kept: Set<String>, reuse: Bool, liveness: Liveness = .lastReader) -> [String: Int] {
        var slot: [String: Int] = [:]
        for v in given where slot[v] == nil { slot[v] = slot.count }
        var next = slot.count
        guard reuse else {
            for s in steps { for v in s.writes where slot[v] == nil { slot[v] = next; next += 1 } }
            return slot
        }
        let dies = liveness.implementation(steps)
        // A set: a model with a weight per node would otherwise scan every weight at every release.
        let givenSet = Set(given)
        var free: [Int] = []
        func release(_ vs: [String], _ k: Int) {
            for v in unique(vs) where dies[v] == k && !kept.contains(v) && !givenSet.contains(v) {
                if let b = slot[v] { free.append(b) }
            }
        }
        for (k, s) in steps.enumerated() {
            // In place: an input whose last reader is this step hands its slot to the step's outputs. The executor
            // computes every output of a step before storing any, so a step may overwrite its own inputs.
            release(s.reads, k)
            for v in s.writes where slot[v] == nil {
                if let f = free.popLast() { slot[v] = f } else { slot[v] = next; next += 1 }
            }
            release(s.writes, k)
        }
        return slot
    }

    /// `xs` without repeats, in first-seen order (so the plan is deterministic).
    private static func unique(_ xs: [String]) -> [String] {
        var seen: Set<String> = []
        return xs.filter { seen.insert($0).inserted }
    }
}

/// The step after which each value written or read by the steps is dead.
public typealias Liveness = Variant<@Sendable ([BufferReuse.Step]) -> [String: Int]>

extension Variant where Implementation == @Sendable ([BufferReuse.Step]) -> [String: Int] {
    /// A value dies at its last reader (or at its writer, when nothing reads it).
    public static var lastReader: Liveness {
        Variant("last-reader") { steps in
            var dies: [String: Int] = [:]
            for (k, s) in steps.enumerated() {
                for v in s.writes + s.reads { dies[v] = k }
            }
            return dies
        }
    }

    /// Faulty: a value dies at its first reader, so a later reader may find its slot overwritten.
    public static var firstReader: Liveness {
        Variant("first-reader") { steps in
            var dies: [String: Int] = [:]
            var read: Set<String> = []
            for (k, s) in steps.enumerated() {
                for v in s.writes { dies[v] = k }
                for v in s.reads where !(read.contains(v) && (dies[v].map { $0 < k } ?? false)) { dies[v] = k }
                read.formUnion(s.reads)
            }
            return dies
        }
    }
}
