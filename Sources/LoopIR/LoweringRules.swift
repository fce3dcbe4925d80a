/// How a broadcast (size-1) dimension of a read without a default is indexed, given the reader's index.
public typealias BroadcastIndex = Variant<@Sendable (LExpr) -> LExpr>
/// Whether an index of a read with a default is inside a dimension of the given size (else the default is read).
public typealias PaddedLimit = Variant<@Sendable (LExpr, Int) -> LExpr>
/// The expression of `a % b`.
public typealias ModuloRule = Variant<@Sendable (LExpr, LExpr) -> LExpr>
/// The reduction a `max` or `min` is lowered to (`max` starts from the first value, `max0` from 0).
public typealias ExtremumStart = Variant<@Sendable (String) -> String>
/// The expression of an `argmax`/`argmin` (`ArgReduction`): which of equal values wins.
public typealias ArgTieRule = Variant<@Sendable (ArgReduction) -> LExpr>

/// An `argmax` or `argmin` as lowering meets it: the reduction, its slot and extent, its body over that slot, and
/// one more slot of the kernel's, unused, for a form that scans the values twice.
public struct ArgReduction: Sendable {
    public var kind: String
    public var slot: Int
    public var extent: Int
    public var body: LExpr
    public var spareSlot: Int

    /// The body with the reduction's slot read as `e`.
    func body(at e: LExpr) -> LExpr {
        body.rewritten { x in
            if case .slot(slot) = x { return e }
            return x
        }
    }
}

/// The rules lowering applies where a spec's semantics could be lowered wrongly; fault injection swaps one for a
/// faulty variant.
public struct LoweringRules: Sendable, Hashable {
    public var broadcastIndex: BroadcastIndex = .elementZero
    public var paddedLimit: PaddedLimit = .dimensionSize
    public var modulo: ModuloRule = .truncatedModulo
    public var extremumStart: ExtremumStart = .firstValue
    public var argTies: ArgTieRule = .firstIndex
    public init() {}
}

extension Variant where Implementation == @Sendable (LExpr) -> LExpr {
    /// Element 0, whatever the reader's index (broadcasting, as the reference reads).
    public static var elementZero: BroadcastIndex { Variant("element-zero") { _ in .int(0) } }
    /// Faulty: the reader's index, as if the dimension were not broadcast.
    public static var readerIndex: BroadcastIndex { Variant("reader-index") { $0 } }
    /// The general path (`lower-broadcast-read` off): the reader's index times the dimension's stride, 0.
    public static var zeroStride: BroadcastIndex { Variant("zero-stride") { .binary("*", $0, .int(0)) } }
}

extension Variant where Implementation == @Sendable (LExpr, Int) -> LExpr {
    /// `0 <= i < size`: the last element in range is `size - 1`.
    public static var dimensionSize: PaddedLimit { Variant("dimension-size") { i, n in within(i, n) } }
    /// Faulty: one past the size, so the read one past the edge loads instead of taking the default.
    public static var onePastSize: PaddedLimit { Variant("one-past-size") { i, n in within(i, n + 1) } }
    /// The general path (`lower-padded-read` off): the index equals itself clamped to `0 ... size - 1`.
    public static var clampedSelf: PaddedLimit {
        Variant("clamped-self") { i, n in
            n == 0 ? .const(.bool(false)) : .binary("==", i, .call("clamp", [i, .int(0), .int(n - 1)]))
        }
    }

    private static func within(_ i: LExpr, _ n: Int) -> LExpr {
        Fold.binary("&&", Fold.binary(">=", i, .int(0)), Fold.binary("<", i, .int(n)))
    }
}

extension Variant where Implementation == @Sendable (LExpr, LExpr) -> LExpr {
    /// `%` itself: truncated, the sign of the dividend, as `ScalarSemantics` defines it.
    public static var truncatedModulo: ModuloRule { Variant("truncated-modulo") { a, b in Fold.binary("%", a, b) } }
    /// Faulty: `((a % b) + b) % b`, a floor modulo, wrong when the dividend is negative.
    public static var floorModulo: ModuloRule {
        Variant("floor-modulo") { a, b in Fold.binary("%", Fold.binary("+", Fold.binary("%", a, b), b), b) }
    }
    /// The general path (`lower-modulo` off): the loop IR's own remainder, neither folded nor simplified.
    public static var plainRemainder: ModuloRule { Variant("plain-remainder") { a, b in .binary("%", a, b) } }
}

extension Variant where Implementation == @Sendable (String) -> String {
    /// The reduction itself: the accumulator starts from the first value.
    public static var firstValue: ExtremumStart { Variant("first-value") { $0 } }
    /// Faulty: `max0` / `min0`, which start the accumulator at 0.
    public static var zero: ExtremumStart { Variant("zero") { $0 + "0" } }
    /// The general path (`lower-extremum-reduction` off): the reduction as the executors define it.
    public static var generalReduction: ExtremumStart { Variant("general") { $0 } }
}

extension Variant where Implementation == @Sendable (ArgReduction) -> LExpr {
    /// The arg-reduction itself: of equal values the first index wins, as ONNX's default `select_last_index = 0`.
    public static var firstIndex: ArgTieRule { Variant("first-index") { a in .argReduce(a.kind, slot: a.slot, extent: a.extent, body: a.body) } }
    /// Faulty: the scan runs from the end and the index is mirrored back, so of equal values the last one wins
    /// (the `select_last_index = 1` form, taken for the default).
    public static var lastIndex: ArgTieRule {
        Variant("last-index") { a in
            let mirrored = a.body(at: .binary("-", .int(a.extent - 1), .slot(a.slot)))
            return .binary("-", .int(a.extent - 1), .argReduce(a.kind, slot: a.slot, extent: a.extent, body: mirrored))
        }
    }
    /// The general path (`lower-arg-reduction` off): no arg-reduction at all, but the smallest index whose value
    /// equals the extreme value, two plain reductions (the extreme over the spare slot inside the minimum).
    public static var extremumEquality: ArgTieRule {
        Variant("extremum-equality") { a in
            // An empty scan gives index 0, as the arg-reduction does.
            guard a.extent > 0 else { return .int(0) }
            let extreme = LExpr.reduce(a.kind == "argmax" ? "max" : "min", slots: [a.spareSlot], extents: [a.extent],
                                       body: a.body(at: .slot(a.spareSlot)))
            let index = LExpr.select(.binary("==", a.body, extreme), .slot(a.slot), .int(a.extent))
            return .reduce("min", slots: [a.slot], extents: [a.extent], body: index)
        }
    }
}
