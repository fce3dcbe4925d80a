/// What lowered operators compute and move, for throughput figures (`bench compiler` divides them by run times).
///
/// Counted on the kernels' bodies, whose loop nests the loop passes only reshape: tiling, unrolling and vectorizing
/// change how the work runs, not how much there is. A producer inlined into its readers counts once per reader.
public struct KernelWork: Sendable, Hashable, Codable {
    /// Operations on values: each unary and binary operation and function application, and each step of a
    /// reduction. Index arithmetic inside loads and loads themselves are not operations.
    public var operations: Int
    /// Bytes of the operators' inputs and outputs, each read or written once, eight bytes an element (the
    /// width the native code and the VM hold every value in).
    public var bytes: Int

    public init(operations: Int = 0, bytes: Int = 0) {
        self.operations = operations
        self.bytes = bytes
    }

    public static func + (a: KernelWork, b: KernelWork) -> KernelWork {
        KernelWork(operations: a.operations + b.operations, bytes: a.bytes + b.bytes)
    }
}

extension LoweredOp {
    /// The operator's work: its kernels' operations, and its input and output bytes.
    public var work: KernelWork {
        let operations = kernels.reduce(0) { $0 + $1.shape.reduce(1, *) * KernelWork.operations(in: $1.body) }
        let buffers = Array(0..<inputCount) + outputBuffers
        return KernelWork(operations: operations, bytes: buffers.reduce(0) { $0 + 8 * bufferShapes[$1].reduce(1, *) })
    }
}

extension KernelWork {
    /// Operations one evaluation of `e` performs (the longer branch of a select).
    static func operations(in e: LExpr) -> Int {
        switch e {
        case .const, .slot, .load: return 0
        case .cast(_, let a): return operations(in: a)
        case .unary(_, let a): return 1 + operations(in: a)
        case .binary(_, let a, let b): return 1 + operations(in: a) + operations(in: b)
        case .call(_, let args): return 1 + args.reduce(0) { $0 + operations(in: $1) }
        case .select(let c, let a, let b): return operations(in: c) + max(operations(in: a), operations(in: b))
        case .reduce(_, _, let extents, let body): return extents.reduce(1, *) * (1 + operations(in: body))
        case .argReduce(_, _, let extent, let body): return extent * (1 + operations(in: body))
        }
    }
}
