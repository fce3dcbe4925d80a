/// A named lowering or code-generation path: a specialized way the compiler lowers one construct of a spec (a
/// broadcast read, a padded read, `%`, a `max`/`min` reduction, an `argmax`/`argmin`, the rounding to float16/bfloat16
/// and the division of signed integers in C), with a
/// plain general way to do the same thing when the path is switched off.
///
/// Paths are switched off by name like passes (`--disable-pass lower-modulo`), so that a wrong result of lowering
/// or code generation is bisected to the path that caused it the same way a pass bug is, and one such bug is one
/// finding rather than one per operator class it shows on. Lowering records the paths it took (`LoweredOp.paths`),
/// which is the compiler feedback campaign coverage counts.
public struct LoweringPath: Sendable, Hashable {
    /// Where the path acts.
    public enum Stage: String, Sendable, Hashable, Codable {
        /// Lowering a spec's expression to the loop IR.
        case lowering
        /// Emitting C for native code.
        case codegen
    }

    /// The name that switches the path off and names it as a finding's culprit.
    public let name: String
    public let stage: Stage
    public let summary: String
    /// The variants with this path switched off: its piece replaced by the general implementation.
    let switchOff: @Sendable (inout LoweringVariants) -> Void

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// Every path, in the order lowering meets them (reads, arithmetic, reductions, then code generation).
    public static let all: [LoweringPath] = [
        LoweringPath(name: "lower-broadcast-read", stage: .lowering,
                     summary: "read a broadcast (size-1) dimension at element 0; off: index it with a zero stride",
                     switchOff: { $0.rules.broadcastIndex = .zeroStride }),
        LoweringPath(name: "lower-padded-read", stage: .lowering,
                     summary: "read with a default through one bounds check per dimension; off: compare each index with its clamped self",
                     switchOff: { $0.rules.paddedLimit = .clampedSelf }),
        LoweringPath(name: "lower-modulo", stage: .lowering,
                     summary: "lower % with constant folding and simplification; off: the plain remainder of the loop IR",
                     switchOff: { $0.rules.modulo = .plainRemainder }),
        LoweringPath(name: "lower-extremum-reduction", stage: .lowering,
                     summary: "start a max or min reduction from its first value; off: the general reduction, from the first value",
                     switchOff: { $0.rules.extremumStart = .generalReduction }),
        LoweringPath(name: "lower-arg-reduction", stage: .lowering,
                     summary: "lower argmax/argmin to one scan where the first extreme wins; off: the least index whose value equals the max/min",
                     switchOff: { $0.rules.argTies = .extremumEquality }),
        LoweringPath(name: "emit-half-rounding", stage: .codegen,
                     summary: "round to float16/bfloat16 in C with nearbyint; off: with rint",
                     switchOff: { $0.rounding = .rint }),
        LoweringPath(name: "emit-signed-division", stage: .codegen,
                     summary: "divide signed integers in C with the prelude's checked `/`; off: with lldiv's quotient",
                     switchOff: { $0.emission.signedDivision = .lldivQuotient }),
    ]

    /// The path named `name`, if any.
    public static func named(_ name: String) -> LoweringPath? { all.first { $0.name == name } }
}

extension LoweringVariants {
    /// These variants with every path named in `disabled` switched off (names of passes are ignored).
    public func switchingOff(_ disabled: Set<String>) -> LoweringVariants {
        var v = self
        for path in LoweringPath.all where disabled.contains(path.name) { path.switchOff(&v) }
        return v
    }
}

extension LoweringOptions {
    /// The options lowering really runs with: the variants with the disabled paths switched off.
    var effectiveVariants: LoweringVariants { variants.switchingOff(disabledPasses) }
}

extension LoweredOp {
    /// This op with the code-generation paths its native code takes added to `paths`. Read off the kernels after
    /// the loop passes, because inlining adds index arithmetic (divisions among it).
    func recordingCodegenPaths() -> LoweredOp {
        var op = self
        if kernels.contains(where: \.roundsToHalf) { op.paths.insert("emit-half-rounding") }
        if dividesSignedIntegers { op.paths.insert("emit-signed-division") }
        return op
    }

    /// Whether native code divides signed integers. Only the emitter's typing knows (a `/` of the loop IR may be of
    /// doubles), so the C is written with the default spelling and looked at; only ops with a `/` pay for it.
    var dividesSignedIntegers: Bool {
        func divides(_ e: LExpr) -> Bool {
            if case .binary("/", _, _) = e { return true }
            return e.children.contains(where: divides)
        }
        guard kernels.contains(where: { divides($0.body) }) else { return false }
        var plain = self
        plain.emission = Emission()
        return (try? CEmitter.function(plain, index: 0).0.contains("gs_idiv(")) ?? false
    }
}
