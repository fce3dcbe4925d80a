/// How a kernel's loops run: set by the loop passes, honoured by the VM and by the C generator.
public struct LoopSchedule: Sendable, Hashable {
    /// Tile size of the innermost loop (0: not tiled).
    public var tile = 0
    /// Unroll factor of the innermost loop (0: not unrolled).
    public var unroll = 0
    /// Vector width of the innermost loop (0: scalar).
    public var vector = 0
    /// Whether the two innermost loops are swapped.
    public var reorder = false
    public init() {}
}

/// What lowering and the loop passes run with: the level, passes switched off, and injected faults.
public struct LoweringOptions: Sendable, Hashable {
    public var level = 0
    public var disabledPasses: Set<String> = []
    public var faults: Set<Fault> = []
    public init(level: Int = 0, disabledPasses: Set<String> = [], faults: Set<Fault> = []) {
        self.level = level
        self.disabledPasses = disabledPasses
        self.faults = faults
    }
}

/// A named loop pass: a pure function from a kernel's schedule to a new one, run from a level up.
public struct LoopPass: Sendable {
    public let name: String
    public let summary: String
    public let level: Int
    public let apply: @Sendable (_ shape: [Int], _ schedule: LoopSchedule) -> LoopSchedule

    /// The loop passes, in order.
    public static let all: [LoopPass] = [
        LoopPass(name: "loop-unroll", summary: "unroll the innermost loop by 4, with a remainder loop", level: 1) { shape, s in
            var t = s
            if (shape.last ?? 0) >= 4 { t.unroll = 4 }
            return t
        },
        LoopPass(name: "loop-tile", summary: "tile the innermost loop by 8, with a remainder tile", level: 2) { shape, s in
            var t = s
            if (shape.last ?? 0) > 8 { t.tile = 8 }
            return t
        },
        LoopPass(name: "loop-reorder", summary: "swap the two innermost loops when the inner one is shorter", level: 2) { shape, s in
            var t = s
            if shape.count >= 2, shape[shape.count - 1] < shape[shape.count - 2] { t.reorder = true }
            return t
        },
        LoopPass(name: "loop-vectorize", summary: "vectorize the innermost loop by 4, with a scalar tail", level: 3) { shape, s in
            var t = s
            if (shape.last ?? 0) >= 4 { t.vector = 4; t.unroll = 0 }
            return t
        },
    ]

    /// The schedule the enabled passes give a kernel of `shape`.
    public static func schedule(_ shape: [Int], _ options: LoweringOptions) -> LoopSchedule {
        all.filter { $0.level <= options.level && !options.disabledPasses.contains($0.name) }.reduce(LoopSchedule()) { $1.apply(shape, $0) }
    }
}

/// The order a schedule visits a kernel's indices in, and where each result is stored.
enum LoopOrder {
    /// `(index, store position)` pairs; with the reorder fault, positions use the swapped loops' strides.
    static func visits(_ shape: [Int], _ s: LoopSchedule, _ faults: Set<Fault>) -> [([Int], Int)] {
        guard !shape.isEmpty else { return [([], 0)] }
        let rank = shape.count
        var order = Array(0..<rank)
        if s.reorder && rank >= 2 { order.swapAt(rank - 1, rank - 2) }
        let inner = order[rank - 1]
        let strides = Self.strides(shape)
        var storeStrides = strides
        if s.reorder && rank >= 2 && faults.contains(.reorderWrongStride) {
            storeStrides = Self.strides(order.map { shape[$0] })
            storeStrides = (0..<rank).map { d in storeStrides[order.firstIndex(of: d)!] }
        }
        var out: [([Int], Int)] = []
        var index = Array(repeating: 0, count: rank)
        func outer(_ level: Int) {
            if level == rank - 1 {
                for i in innerSequence(shape[inner], s, faults) {
                    index[inner] = i
                    out.append((index, zip(index, storeStrides).reduce(0) { $0 + $1.0 * $1.1 }))
                }
                return
            }
            let d = order[level]
            for v in 0..<shape[d] {
                index[d] = v
                outer(level + 1)
            }
        }
        outer(0)
        return out
    }

    static func strides(_ shape: [Int]) -> [Int] {
        var s = Array(repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { s[d] = s[d + 1] * shape[d + 1] }
        return s
    }

    /// The innermost loop's values: tiles, then vector or unrolled chunks and their remainder.
    static func innerSequence(_ extent: Int, _ s: LoopSchedule, _ faults: Set<Fault>) -> [Int] {
        var tiles: [Range<Int>] = [0..<extent]
        if s.tile > 0 {
            let full = extent / s.tile
            let count = faults.contains(.tileRemainderDropped) ? full : (extent + s.tile - 1) / s.tile
            tiles = (0..<count).map { t in (t * s.tile)..<min(extent, (t + 1) * s.tile) }
        }
        var out: [Int] = []
        for r in tiles {
            let width = s.vector > 0 ? s.vector : s.unroll
            guard width > 0 else { out += Array(r); continue }
            let bodyEnd = r.lowerBound + (r.count / width) * width
            out += Array(r.lowerBound..<bodyEnd)
            var tail = Array(bodyEnd..<r.upperBound)
            if s.vector > 0 && faults.contains(.vectorTailDropped) { tail = [] }
            if s.vector == 0 && faults.contains(.unrollRemainderShort) && !tail.isEmpty { tail.removeLast() }
            out += tail
        }
        return out
    }
}
