/// The loop passes' decisions for a kernel: what `LoopNestBuilder` lowers into the kernel's loop nest, the one
/// structure the VM and the C generator both walk.
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
