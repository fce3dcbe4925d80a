import TensorCore

/// Writes lowered operators as one C file: a function `gs_op_N(void **buffers, int *err)` per operator.
public enum CEmitter {
    /// The C source, and for each operator the element C type of each of its buffers.
    public static func emit(_ ops: [LoweredOp]) throws -> (source: String, bufferTypes: [[String]]) {
        // One prelude serves every operator of the file: they must agree on its rounding.
        let roundings = Set(ops.map(\.rounding))
        guard roundings.count <= 1 else { throw LoweringError("operators with different rounding (\(roundings.map(\.name).sorted())) in one C file") }
        var out = CPrelude.source(rounding: ops.first?.rounding ?? .nearestEven)
        var allTypes: [[String]] = []
        for (n, op) in ops.enumerated() {
            let (text, types) = try function(op, index: n)
            out += "\n/* \(op.op) */\n" + text
            allTypes.append(types.map(\.rawValue))
        }
        return (out, allTypes)
    }

    /// One operator's C function, and the element C type of each of its buffers.
    static func function(_ op: LoweredOp, index: Int) throws -> (String, [CType]) {
        var types = op.bufferShapes.map { _ in CType.f64 }
        for (k, t) in op.inputTypes.enumerated() { types[k] = CType(t.dtype) }
        for (b, t) in zip(op.outputBuffers, op.outputTypes) { types[b] = CType(t.dtype) }
        var kernels = ""
        for kernel in op.kernels {
            let c = CExpr(bufferTypes: types, emission: op.emission)
            let body = try c.emit(kernel.body)
            if kernel.dtype == nil { types[kernel.target] = body.type }
            let value = stored(body, kernel, c)
            let nest = LoopNestBuilder.nest(kernel, op.loops)
            let jam = CLoopNest.hasChunkStores(nest)
                ? try ReductionJam.of(kernel, firstFreeSlot: nest.maxVariable + 1).map { try jamText($0, kernel, c) } : nil
            let slots = (kernel.shape.count..<max(kernel.shape.count, kernel.slotCount)).map { "int64_t s\($0) = 0; (void)s\($0);" }.joined(separator: " ")
            kernels += """
                  { /* \(kernel.name) */
                    \(types[kernel.target].rawValue) *out = (\(types[kernel.target].rawValue) *)b[\(kernel.target)];
                    \(slots)
                    \(CLoopNest.text(nest, value: value, jam: jam))
                  }

                """
        }
        let declarations = types.enumerated().map { "  \($1.rawValue) *b\($0) = (\($1.rawValue) *)b[\($0)]; (void)b\($0);" }.joined(separator: "\n")
        return ("void gs_op_\(index)(void **b, int *err) {\n\(declarations)\n\(kernels)}\n", types)
    }

    /// What a kernel stores, given its value `body`: rounded to the output's dtype (a stage keeps it as it is).
    private static func stored(_ body: CExpr.Code, _ kernel: Kernel, _ c: CExpr) -> String {
        guard let dtype = kernel.dtype else { return body.text }
        return dtype.isFloat ? c.convert(body, to: .f64) : c.convert(CFunctions.cast(body, to: dtype, c), to: CType(dtype))
    }

    /// The pieces of a jammed kernel (`ReductionJam`): the reduction's, and the stored value over its hole slot.
    private static func jamText(_ jam: ReductionJam, _ kernel: Kernel, _ c: CExpr) throws -> CLoopNest.Jam {
        guard case .reduce(let r, let slots, let extents, let body) = jam.reduction else { preconditionFailure("not a reduction") }
        let parts = c.parts(r, slots, extents, try c.emit(body))
        var outer = c
        outer.valueSlots[jam.hole] = parts.type
        let value = stored(try outer.emit(jam.outer), kernel, outer)
        return CLoopNest.Jam(hole: jam.hole, type: parts.type.rawValue, seed: parts.seed, loops: parts.loops, step: parts.step, value: value)
    }
}
