import TensorCore

/// A scalar expression of the loop IR: every shape, attribute and vector of the spec is resolved
/// away at lowering, leaving loop variables (slots), constants, loads and scalar operations.
public indirect enum LExpr: Sendable, CustomStringConvertible {
    case const(Scalar)
    /// A loop variable.
    case slot(Int)
    case unary(String, LExpr)
    case binary(String, LExpr, LExpr)
    /// Lazy: only the taken branch is evaluated.
    case select(LExpr, LExpr, LExpr)
    /// An element-wise function of `ScalarSemantics`.
    case call(String, [LExpr])
    case cast(DType, LExpr)
    /// `buffer[offset]`; when `fallback` is given, `inBounds` decides between the load and it,
    /// otherwise a false `inBounds` is an out-of-range error.
    case load(buffer: Int, offset: LExpr, inBounds: LExpr, fallback: LExpr?)
    /// `sum`, `prod`, `max` or `min` of `body` over every combination of the slots (row-major, one accumulator,
    /// so the order of additions is the reference interpreter's).
    case reduce(String, slots: [Int], extents: [Int], body: LExpr)
    /// `argmax` or `argmin`: the first `slot` in `0 ..< extent` where `body` is extreme.
    case argReduce(String, slot: Int, extent: Int, body: LExpr)

    public static func int(_ v: Int) -> LExpr { .const(.int(Int64(v))) }

    /// The constant value, when the expression is one.
    var constant: Scalar? {
        if case .const(let s) = self { return s }
        return nil
    }

    public var description: String {
        switch self {
        case .const(let s): return s.description
        case .slot(let k): return "i\(k)"
        case .unary(let op, let a): return "\(op)\(a)"
        case .binary(let op, let a, let b): return "(\(a) \(op) \(b))"
        case .select(let c, let a, let b): return "(\(c) ? \(a) : \(b))"
        case .call(let f, let args): return "\(f)(\(args.map(\.description).joined(separator: ", ")))"
        case .cast(let d, let a): return "\(d.rawValue)(\(a))"
        case .load(let b, let o, _, let f): return "b\(b)[\(o)]" + (f.map { " else \($0)" } ?? "")
        case .reduce(let r, let s, let n, let body):
            return "\(r)(\(zip(s, n).map { "i\($0) < \($1)" }.joined(separator: ", "))) \(body)"
        case .argReduce(let r, let s, let n, let body): return "\(r)(i\(s) < \(n)) \(body)"
        }
    }
}

/// One loop nest: for every index of `shape`, store `body` (its loop variables are slots `0 ..< shape.count`)
/// into `target`, rounded to `dtype` when it is an output.
public struct Kernel: Sendable {
    public var name: String
    public var target: Int
    public var shape: [Int]
    public var body: LExpr
    /// Nil for a stage: stages keep exact values.
    public var dtype: DType?
    /// Slots in use (loop variables and reduction variables).
    public var slotCount: Int
    /// How the loops run (set by the loop passes).
    public var schedule = LoopSchedule()
    /// A fused member's result kept as a stage: its readers may compute it in place instead (`ProducerInlining`).
    public var inlinable = false

    /// Whether native code rounds anything of this kernel to float16 or bfloat16 (`emit-half-rounding`).
    var roundsToHalf: Bool {
        func half(_ d: DType?) -> Bool { d == .f16 || d == .bf16 }
        func casts(_ e: LExpr) -> Bool {
            if case .cast(let d, _) = e, half(d) { return true }
            return e.children.contains(where: casts)
        }
        return half(dtype) || casts(body)
    }
}

/// An operator instance lowered to kernels over numbered buffers: inputs first, then stages, then outputs.
public struct LoweredOp: Sendable {
    public var op: String
    public var bufferShapes: [[Int]]
    public var inputCount: Int
    public var inputTypes: [TensorType]
    public var outputBuffers: [Int]
    public var outputTypes: [TensorType]
    public var kernels: [Kernel]
    /// The loop passes' transformations its kernels' loop nests are built with (the executors build them).
    public var loops = LoopTransforms()
    /// How the C prelude rounds to float16/bfloat16 in native code.
    public var rounding: HalfRounding = .nearestEven
    /// The C spellings native code uses (`Emission`).
    public var emission = Emission()
    /// The lowering and code-generation paths its lowering took (`LoweringPath`): compiler feedback for coverage.
    public var paths: Set<String> = []
}

/// An instance the lowering cannot express (a structural argument that is not a constant).
public struct LoweringError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
