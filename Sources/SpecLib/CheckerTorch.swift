import SpecLang

/// The `torch` lines: each but the last has a `when`, and every placeholder names an input or is an expression over
/// the spec's values (a type variable alone stands for its dtype).
extension Checker {
    func checkTorch() throws {
        for (k, m) in file.torchMappings.enumerated() {
            let last = k == file.torchMappings.count - 1
            switch (m.condition, last) {
            case (let c?, true): throw SpecError(c.location, "the last 'torch' line has no 'when': it maps every instance the lines before it do not")
            case (nil, false): throw SpecError(m.location, "a 'torch' line before the last needs 'when cond' (the instances it maps)")
            case (let c?, false): try checkExpr(c, locals: [:])
            case (nil, true): break
            }
            for case .placeholder(let e) in m.pieces { try checkTorchPlaceholder(e) }
        }
    }

    private func checkTorchPlaceholder(_ e: Expr) throws {
        guard case .name(let n) = e.kind else { return try checkExpr(e, locals: [:]) }
        if file.outputs.contains(where: { $0.name == n }) {
            throw SpecError(e.location, "'$\(n)' is an output: the 'torch' expression computes it, and cannot read it")
        }
        if file.inputs.contains(where: { $0.name == n }) || names[n] == .typeVar { return }
        try checkExpr(e, locals: [:])
    }
}
