import SpecLang
import TensorCore

/// Runs lowered kernels: each body is compiled once into nested closures, then evaluated at every index.
///
/// Scalar semantics come from the same `ScalarSemantics` table as the reference interpreter, so the
/// VM and the reference must agree bit for bit; any difference is a lowering bug.
public enum VM {
    /// The state kernels read and write: loop variables, buffers and the output being stored.
    final class Frame {
        var slots: [Int]
        var buffers: [[Scalar]]
        /// The output of the kernel running.
        var out: [Scalar] = []
        init(slots: Int, buffers: [[Scalar]]) {
            self.slots = Array(repeating: 0, count: slots)
            self.buffers = buffers
        }
    }

    typealias Code = (Frame) throws -> Scalar

    /// Runs `op` on `inputs` (one per spec input, in order) and returns its outputs.
    public static func run(_ op: LoweredOp, inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.map(\.type) == op.inputTypes else { throw EvalError("\(op.op): inputs of the wrong type") }
        var buffers: [[Scalar]] = op.bufferShapes.map { _ in [] }
        for (k, t) in inputs.enumerated() { buffers[k] = t.scalars }
        let nests = op.kernels.map { LoopNestBuilder.nest($0, op.loops) }
        let slots = zip(op.kernels, nests).map { max($0.slotCount, $1.maxVariable + 1) }.max() ?? 0
        let frame = Frame(slots: slots, buffers: buffers)
        for (kernel, nest) in zip(op.kernels, nests) {
            let body = compile(kernel.body)
            let count = kernel.shape.reduce(1, *)
            frame.out = [Scalar](repeating: .int(0), count: count)
            // The kernel's loop nest; a correct one stores every element exactly once.
            let run = compile(nest) { f, position in
                let value = try body(f)
                guard position >= 0 && position < count else { throw EvalError("\(op.op): store out of range") }
                f.out[position] = value
            }
            try run(frame)
            frame.buffers[kernel.target] = frame.out
            frame.out = []
        }
        return zip(op.outputBuffers, op.outputTypes).map { b, type in
            Tensor(dtype: type.dtype, shape: type.shape, scalars: frame.buffers[b])
        }
    }

    static func compile(_ e: LExpr) -> Code {
        switch e {
        case .const(let s): return { _ in s }
        case .slot(let k): return { f in .int(Int64(f.slots[k])) }
        case .unary(let op, let a):
            let x = compile(a)
            return { f in try ScalarSemantics.unary(op, try x(f)) }
        case .binary(let op, let a, let b):
            let x = compile(a), y = compile(b)
            if op == "&&" { return { f in try x(f).isTrue ? .bool(try y(f).isTrue) : .bool(false) } }
            if op == "||" { return { f in try x(f).isTrue ? .bool(true) : .bool(try y(f).isTrue) } }
            guard let o = ScalarSemantics.BinaryOperator.named(op) else { return { f in try ScalarSemantics.binary(op, try x(f), try y(f)) } }
            return { f in try ScalarSemantics.binary(o, try x(f), try y(f)) }
        case .select(let c, let a, let b):
            let cond = compile(c), x = compile(a), y = compile(b)
            return { f in try cond(f).isTrue ? try x(f) : try y(f) }
        case .call(let name, let args):
            let fn = ScalarSemantics.functions[name]!.apply
            let xs = args.map(compile)
            return { f in try fn(try xs.map { try $0(f) }) }
        case .cast(let d, let a):
            let x = compile(a)
            return { f in ElementCodec.scalar(bits: ElementCodec.bits(of: try x(f), as: d), dtype: d) }
        case .load(let b, let offset, let inBounds, let fallback):
            return compileLoad(b, compile(offset), compile(inBounds), fallback.map(compile))
        case .reduce(let r, let slots, let extents, let body):
            return compileReduce(r, slots, extents, compile(body))
        case .argReduce(let r, let slot, let extent, let body):
            let x = compile(body)
            let better = r == "argmax" ? ">" : "<"
            return { f in
                var best: Scalar?
                var index = 0
                for k in 0..<extent {
                    f.slots[slot] = k
                    let v = try x(f)
                    // First extreme wins: replace only on a strict improvement, as the reference does.
                    guard let current = best else { best = v; index = k; continue }
                    if try ScalarSemantics.binary(better, v, current).isTrue { best = v; index = k }
                }
                return .int(Int64(index))
            }
        }
    }

    private static func compileLoad(_ b: Int, _ offset: @escaping Code, _ inBounds: @escaping Code, _ fallback: Code?) -> Code {
        if let fb = fallback {
            return { f in try inBounds(f).isTrue ? try element(f, b, offset) : try fb(f) }
        }
        return { f in
            guard try inBounds(f).isTrue else { throw EvalError("index out of range reading buffer \(b)") }
            return try element(f, b, offset)
        }
    }

    /// A buffer element; a position past the buffer (only a wrong lowering makes one) is an error, not a trap.
    private static func element(_ f: Frame, _ b: Int, _ offset: Code) throws -> Scalar {
        let k = Int(try offset(f).asInt64)
        guard k >= 0 && k < f.buffers[b].count else { throw EvalError("read past the end of buffer \(b)") }
        return f.buffers[b][k]
    }

    /// One accumulator over all combinations in row-major order, starting from the first value: the
    /// reference interpreter's order, so float results agree to the bit.
    private static func compileReduce(_ r: String, _ slots: [Int], _ extents: [Int], _ body: @escaping Code) -> Code {
        if r == "max0" || r == "min0" {
            let f = ScalarSemantics.functions[String(r.dropLast())]!.apply
            let total = extents.reduce(1, *)
            return { frame in
                var acc: Scalar = .int(0)
                for k in 0..<total {
                    var rest = k
                    for d in extents.indices.reversed() {
                        frame.slots[slots[d]] = rest % extents[d]
                        rest /= extents[d]
                    }
                    acc = try f([acc, try body(frame)])
                }
                return acc
            }
        }
        let combine: (Scalar, Scalar) throws -> Scalar
        switch r {
        case "sum": combine = { try ScalarSemantics.binary(.add, $0, $1) }
        case "prod": combine = { try ScalarSemantics.binary(.multiply, $0, $1) }
        case "max": combine = { try ScalarSemantics.functions["max"]!.apply([$0, $1]) }
        default: combine = { try ScalarSemantics.functions["min"]!.apply([$0, $1]) }
        }
        let empty: Scalar = r == "sum" ? .int(0) : r == "prod" ? .int(1) : .float(r == "max" ? -.infinity : .infinity)
        let total = extents.reduce(1, *)
        return { f in
            var acc: Scalar?
            for k in 0..<total {
                var rest = k
                for d in extents.indices.reversed() {
                    f.slots[slots[d]] = rest % extents[d]
                    rest /= extents[d]
                }
                let v = try body(f)
                acc = try acc.map { try combine($0, v) } ?? v
            }
            return acc ?? empty
        }
    }
}
