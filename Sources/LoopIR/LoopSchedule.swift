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
    /// Whether native code splits the outermost loop across cores (the VM runs it in order: same results).
    public var parallel = false
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
