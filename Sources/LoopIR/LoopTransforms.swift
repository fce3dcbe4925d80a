import TensorCore

/// A loop pass's transformation of a kernel's loop nest.
public typealias LoopTransform = Variant<@Sendable (LoopNest, NestContext) -> LoopNest>

/// The transformation each schedule-setting loop pass contributes to a kernel's loop nest (applied in
/// `LoopNestBuilder`'s order when the schedule asks for it). Fault injection replaces one by a faulty variant.
public struct LoopTransforms: Sendable, Hashable {
    /// `loop-reorder`: swaps the two innermost loops.
    public var reorder: LoopTransform = .swapInnermost
    /// `loop-tile`: splits the innermost loop into tiles.
    public var tile: LoopTransform = .tile
    /// `loop-unroll`: runs the innermost loop in unrolled chunks, then a remainder loop.
    public var unroll: LoopTransform = .unroll
    /// `loop-vectorize`: runs the innermost loop in vectors, then a scalar tail.
    public var vectorize: LoopTransform = .vectorize
    /// `loop-parallelize`: marks the loop whose iterations native code splits across cores.
    public var parallelize: LoopTransform = .parallelizeOutermost
    public init() {}
}

extension Variant where Implementation == @Sendable (LoopNest, NestContext) -> LoopNest {
    /// Swaps the two innermost loops; each element is still stored at its row-major position.
    public static var swapInnermost: LoopTransform { Variant("swap-innermost") { nest, _ in nest.swappingInnermostPair() } }

    /// Faulty: swaps the two innermost loops and stores with the strides of the swapped loop order.
    public static var swapInnermostWithSwappedStrides: LoopTransform {
        Variant("swap-innermost-with-swapped-strides") { nest, c in
            let rank = c.shape.count
            var order = Array(0..<rank)
            order.swapAt(rank - 1, rank - 2)
            let swapped = Tensor.strides(of: order.map { c.shape[$0] })
            let strides = (0..<rank).map { d in swapped[order.firstIndex(of: d)!] }
            let position = LoopNestBuilder.position((0..<rank).map(LoopIndex.variable), strides: strides)
            return nest.swappingInnermostPair().mappingStores { _ in position }
        }
    }

    /// Splits the innermost loop into tiles of `schedule.tile`, the last one cut at the loop's end (a remainder tile).
    public static var tile: LoopTransform {
        Variant("tile") { nest, c in
            let size = c.schedule.tile, t = c.freshVariable(nest)
            return nest.mappingInnermost { l in
                let count = (l.upper - l.lower + (size - 1)) / size
                let lo = l.lower + .variable(t) * size
                return .forLoop(t, from: .constant(0), to: count, .forLoop(l.variable, from: lo, to: .min(lo + size, l.upper), l.body))
            }
        }
    }

    /// Faulty: whole tiles only, so the remainder tile (when the extent is not a multiple of the size) never runs.
    public static var tileDroppingRemainder: LoopTransform {
        Variant("tile-dropping-remainder") { nest, c in
            let size = c.schedule.tile, t = c.freshVariable(nest)
            return nest.mappingInnermost { l in
                let lo = l.lower + .variable(t) * size
                return .forLoop(t, from: .constant(0), to: (l.upper - l.lower) / size, .forLoop(l.variable, from: lo, to: lo + size, l.body))
            }
        }
    }

    /// Unrolled chunks of `schedule.unroll`, then a remainder loop up to the end.
    public static var unroll: LoopTransform {
        Variant("unroll") { nest, c in StripMining.split(nest, c, width: c.schedule.unroll, kind: .unrolled) { $0 } }
    }

    /// Faulty: the remainder loop after the unrolled chunks stops one iteration short.
    public static var unrollWithShortRemainder: LoopTransform {
        Variant("unroll-with-short-remainder") { nest, c in StripMining.split(nest, c, width: c.schedule.unroll, kind: .unrolled) { $0 - 1 } }
    }

    /// Vectors of `schedule.vector` lanes, then a scalar tail up to the end.
    public static var vectorize: LoopTransform {
        Variant("vectorize") { nest, c in StripMining.split(nest, c, width: c.schedule.vector, kind: .vector) { $0 } }
    }

    /// Faulty: vectors only, without the scalar tail.
    public static var vectorizeDroppingTail: LoopTransform {
        Variant("vectorize-dropping-tail") { nest, c in StripMining.split(nest, c, width: c.schedule.vector, kind: .vector) { _ in nil } }
    }

    /// Marks the outermost loop parallel: of a kernel of rank 2 or more, the outermost dimension's loop; of a
    /// tiled rank-1 kernel, the tile loop. (An untiled rank-1 kernel has no loop worth splitting.)
    public static var parallelizeOutermost: LoopTransform {
        Variant("parallelize-outermost") { nest, c in
            c.shape.count >= 2 || c.schedule.tile > 0 ? nest.markingOutermost(.parallel) : nest
        }
    }
}

/// Strip-mining of the innermost loop: chunks of a constant width, then the iterations left over.
enum StripMining {
    /// Each innermost loop `for x in lo ..< hi` as `for b in lo ..< end step width { for x in b ..< b + width (kind) }`
    /// with `end = lo + (hi - lo) / width * width`, then `for x in end ..< tailEnd(hi)` (no tail when nil).
    static func split(_ nest: LoopNest, _ c: NestContext, width: Int, kind: LoopKind, tailEnd: (LoopIndex) -> LoopIndex?) -> LoopNest {
        let b = c.freshVariable(nest)
        return nest.mappingInnermost { l in
            let end = l.lower + (l.upper - l.lower) / width * width
            let chunk = LoopNest.forLoop(l.variable, from: .variable(b), to: .variable(b) + width, kind: kind, l.body)
            let main = LoopNest.forLoop(b, from: l.lower, to: end, step: width, chunk)
            guard let tail = tailEnd(l.upper) else { return main }
            return .sequence(of: [main, .forLoop(l.variable, from: end, to: tail, l.body)])
        }
    }
}

extension LoopNest {
    /// The two innermost loops of a perfect nest swapped (their bounds must not read each other's variable).
    func swappingInnermostPair() -> LoopNest {
        guard case .loop(var outer) = self else { return self }
        guard case .loop(var inner) = outer.body else { return self }
        if case .store = inner.body {
            outer.body = inner.body
            inner.body = .loop(outer)
            return .loop(inner)
        }
        outer.body = LoopNest.loop(inner).swappingInnermostPair()
        return .loop(outer)
    }
}
