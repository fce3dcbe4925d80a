import Foundation
import SpecLang
import TensorCore

/// Lowered operators compiled to native code in one shared object, callable one operator at a time.
public final class NativeProgram: @unchecked Sendable {
    public let ops: [LoweredOp]
    /// The shared object the program runs from.
    public var libraryPath: String { module.path }
    private let module: NativeModule
    private let functions: [NativeModule.Function]
    private let bufferTypes: [[String]]

    /// The C compiler that built the program.
    public var compiler: CCompiler { module.compiler }

    /// Compiles `ops` with the C compiler `build` chooses at `optimization` (`-O1` unless a check trades code speed
    /// for compile time), reusing a verified build from `cache`.
    public convenience init(_ ops: [LoweredOp], optimization: String = "-O1", build: NativeBuild = .exact,
                            cache: NativeCache = .shared) throws {
        let (source, types) = try CEmitter.emit(ops)
        try self.init(ops, types: types,
                      module: NativeModule(source: source, optimization: optimization, build: build, cache: cache))
    }

    /// Compiles `ops` with the first of `compilers` that has a cached build, else the last of them.
    convenience init(_ ops: [LoweredOp], compilers: [CCompiler], cache: NativeCache = .shared) throws {
        let (source, types) = try CEmitter.emit(ops)
        try self.init(ops, types: types,
                      module: NativeModule(source: source, optimization: "-O1", compilers: compilers, cache: cache))
    }

    private init(_ ops: [LoweredOp], types: [[String]], module m: NativeModule) throws {
        self.ops = ops
        module = m
        functions = try ops.indices.map { try m.function("gs_op_\($0)") }
        bufferTypes = types
    }

    /// Runs operator `index` on `inputs`; an integer division by zero or a read out of range is an error.
    public func run(op index: Int, inputs: [Tensor]) throws -> [Tensor] {
        let op = ops[index], types = bufferTypes[index]
        return try withBuffers(op: index, inputs: inputs) { buffers in
            var err: Int32 = 0
            functions[index](buffers.baseAddress!, &err)
            if err == 1 { throw EvalError("\(op.op): integer division by zero") }
            if err != 0 { throw EvalError("\(op.op): index out of range") }
            return zip(op.outputBuffers, op.outputTypes).map { b, type in Self.read(buffers[b]!, type, types[b]) }
        }
    }

    /// Calls `body` with a function that runs operator `index`'s kernel alone on `inputs`: the buffers are
    /// allocated and filled once, outside it, as a deployed model's would be (for timing the kernel by itself).
    public func withKernel<R>(op index: Int, inputs: [Tensor], _ body: (() -> Void) throws -> R) throws -> R {
        try withBuffers(op: index, inputs: inputs) { buffers in
            var err: Int32 = 0
            return try body { self.functions[index](buffers.baseAddress!, &err) }
        }
    }

    /// Calls `body` with operator `index`'s buffers allocated, zeroed and holding `inputs`; frees them after.
    private func withBuffers<R>(op index: Int, inputs: [Tensor],
                                _ body: (UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>) throws -> R) throws -> R {
        let op = ops[index], types = bufferTypes[index]
        // A wrong tensor here (a buffer-planning bug) must be an error, not a write past a buffer.
        guard inputs.map(\.type) == op.inputTypes else { throw EvalError("\(op.op): inputs of the wrong type") }
        var buffers: [UnsafeMutableRawPointer?] = op.bufferShapes.enumerated().map { k, shape in
            // Zeroed, so that a kernel that leaves elements unwritten (a dropped remainder loop) gives the same wrong
            // result every run instead of whatever the allocator held: a finding must replay.
            let bytes = max(1, shape.reduce(1, *)) * (types[k] == "int" ? 4 : 8)
            let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
            p.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            return p
        }
        defer { buffers.forEach { $0?.deallocate() } }
        for (k, t) in inputs.enumerated() { Self.fill(buffers[k]!, t, types[k]) }
        return try buffers.withUnsafeMutableBufferPointer { try body($0) }
    }

    private static func fill(_ p: UnsafeMutableRawPointer, _ t: Tensor, _ type: String) {
        switch type {
        case "double":
            let q = p.bindMemory(to: Double.self, capacity: t.count)
            for k in 0..<t.count { q[k] = t.double(at: k) }
        case "int":
            let q = p.bindMemory(to: Int32.self, capacity: t.count)
            for k in 0..<t.count { q[k] = t.scalar(at: k).isTrue ? 1 : 0 }
        case "uint64_t":
            let q = p.bindMemory(to: UInt64.self, capacity: t.count)
            for k in 0..<t.count { q[k] = t.bits[k] }
        default:
            let q = p.bindMemory(to: Int64.self, capacity: t.count)
            for k in 0..<t.count { q[k] = t.scalar(at: k).asInt64 }
        }
    }

    private static func read(_ p: UnsafeMutableRawPointer, _ type: TensorType, _ c: String) -> Tensor {
        switch c {
        case "double":
            let q = p.bindMemory(to: Double.self, capacity: type.count)
            return Tensor(dtype: type.dtype, shape: type.shape, doubles: (0..<type.count).map { q[$0] })
        case "int":
            let q = p.bindMemory(to: Int32.self, capacity: type.count)
            return Tensor(dtype: type.dtype, shape: type.shape, scalars: (0..<type.count).map { .bool(q[$0] != 0) })
        case "uint64_t":
            let q = p.bindMemory(to: UInt64.self, capacity: type.count)
            return Tensor(dtype: type.dtype, shape: type.shape, scalars: (0..<type.count).map { .uint(q[$0]) })
        default:
            let q = p.bindMemory(to: Int64.self, capacity: type.count)
            return Tensor(dtype: type.dtype, shape: type.shape, ints: (0..<type.count).map { q[$0] })
        }
    }
}
