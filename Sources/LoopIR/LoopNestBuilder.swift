import TensorCore

/// Builds a kernel's loop nest, the one meaning of its schedule: the row-major nest over its shape, then the
/// transformation of each loop pass whose decision the schedule records, in the one order they compose in.
public enum LoopNestBuilder {
    /// `kernel`'s loops with `transforms` (the correct ones unless a fault was injected).
    public static func nest(_ kernel: Kernel, _ transforms: LoopTransforms) -> LoopNest {
        nest(shape: kernel.shape, schedule: kernel.schedule, firstFreeSlot: kernel.slotCount, transforms)
    }

    /// The loops of a kernel of `shape` scheduled by `schedule`, new loop variables from `firstFreeSlot` on.
    ///
    /// Reordering comes first (it swaps whole dimension loops), then tiling of the innermost loop, then vector or
    /// unrolled chunks inside each tile (vectorization replaces unrolling), and the parallel mark last, on the
    /// loop that ends up outermost.
    public static func nest(shape: [Int], schedule s: LoopSchedule, firstFreeSlot: Int, _ transforms: LoopTransforms) -> LoopNest {
        let context = NestContext(shape: shape, schedule: s, firstFreeSlot: max(firstFreeSlot, shape.count))
        var nest = rowMajor(shape)
        var steps: [LoopTransform] = []
        if s.reorder && shape.count >= 2 { steps.append(transforms.reorder) }
        if s.tile > 0 { steps.append(transforms.tile) }
        if s.vector > 0 { steps.append(transforms.vectorize) } else if s.unroll > 0 { steps.append(transforms.unroll) }
        if s.parallel { steps.append(transforms.parallelize) }
        for t in steps { nest = t.implementation(nest, context) }
        return nest
    }

    /// One serial loop per dimension, outermost first, dimension `d` in slot `d`, each element stored at its
    /// row-major position.
    public static func rowMajor(_ shape: [Int]) -> LoopNest {
        var nest = LoopNest.store(position: position(shape.indices.map(LoopIndex.variable), strides: Tensor.strides(of: shape)))
        for d in shape.indices.reversed() { nest = .forLoop(d, from: .constant(0), to: .constant(shape[d]), nest) }
        return nest
    }

    /// `Σ index[d] · strides[d]`.
    static func position(_ index: [LoopIndex], strides: [Int]) -> LoopIndex {
        zip(index, strides).reduce(LoopIndex.constant(0)) { $0 + $1.0 * $1.1 }
    }
}

/// What a loop pass's transformation knows besides the nest it transforms.
public struct NestContext: Sendable {
    /// The kernel's shape: dimension `d`'s loop variable is slot `d`.
    public var shape: [Int]
    /// The loop passes' decisions (tile size, vector width, unroll factor).
    public var schedule: LoopSchedule
    /// The first slot neither the kernel body nor a dimension uses.
    public var firstFreeSlot: Int

    /// A slot no loop of `nest` uses, for a loop the transformation adds.
    public func freshVariable(_ nest: LoopNest) -> Int { max(firstFreeSlot, nest.maxVariable + 1) }
}
