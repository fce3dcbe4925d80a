/// A deliberate, realistic compiler bug that `--inject-fault NAME` switches on: the ground truth the fuzzer is
/// measured by. Off unless asked for.
public enum Fault: String, CaseIterable, Sendable, Hashable {
    case tileRemainderDropped = "tile-remainder-dropped"
    case vectorTailDropped = "vector-tail-dropped"
    case unrollRemainderShort = "unroll-remainder-short"
    case reorderWrongStride = "reorder-wrong-stride"
    case reductionWrongIdentity = "reduction-wrong-identity"
    case paddingOffByOne = "padding-off-by-one"
    case modNegative = "mod-negative"
    case broadcastStride = "broadcast-stride"
    case halfRoundingTruncates = "half-rounding-truncates"
    case cseIgnoresAttributes = "cse-ignores-attributes"
    case transposeFoldNotInverse = "transpose-fold-not-inverse"
    case constantFoldFloorDivision = "constant-fold-floor-division"
    case fusionMultiConsumer = "fusion-multi-consumer"
    case bufferReusedWhileLive = "buffer-reused-while-live"
    case layoutRewriteWrongRank = "layout-rewrite-wrong-rank"
    // Written after the feedback and boundary-value work, to measure the fuzzer on bugs it was not tuned to.
    case cseCommutesOperands = "cse-commutes-operands"
    case argTiesLast = "arg-ties-last"
    case indexCompareOffByOne = "index-compare-off-by-one"
    case roundHalfAway = "round-half-away"
    case integerDivisionFloors = "integer-division-floors"

    /// What goes wrong, and where.
    public var summary: String {
        switch self {
        case .tileRemainderDropped: return "loop tiling (O2+) forgets the remainder tile when the extent is not a multiple of the tile size"
        case .vectorTailDropped: return "vectorization (O3) drops the scalar tail after the last full vector"
        case .unrollRemainderShort: return "unrolling (O1+) runs the remainder loop one iteration short"
        case .reorderWrongStride: return "loop reordering (O2+) stores with the strides of the original loop order"
        case .reductionWrongIdentity: return "lowering starts max and min reductions at 0 instead of the first value"
        case .paddingOffByOne: return "lowering checks padded reads against dim + 1, reading one element past the edge"
        case .modNegative: return "lowering simplifies % to a floor modulo, wrong when the dividend is negative"
        case .broadcastStride: return "a broadcast (size-1) dim keeps its index instead of reading element 0"
        case .halfRoundingTruncates: return "native code rounds to float16/bfloat16 toward zero instead of to nearest even"
        case .cseIgnoresAttributes: return "CSE merges nodes with the same operator and inputs even when attributes differ"
        case .transposeFoldNotInverse: return "layout simplification folds Transpose(Transpose(x)) to x even when the perms are not inverse"
        case .constantFoldFloorDivision: return "constant folding rounds integer division toward minus infinity"
        case .fusionMultiConsumer: return "operator fusion (O3) fuses a value that has several readers into one of them, so the others never see it computed"
        case .bufferReusedWhileLive: return "buffer reuse (O1+) takes a value's first reader for its last, so that reader's output overwrites it in place while still live"
        case .layoutRewriteWrongRank: return "layout simplification drops a Transpose whose last two axes stay in place, as if every tensor were a rank-2 matrix"
        case .cseCommutesOperands: return "CSE sorts the two inputs of every binary operator, so Sub(a, b) and Sub(b, a) merge as if every operator commuted"
        case .argTiesLast: return "lowering scans ArgMax/ArgMin from the end, so of equal values the last index wins instead of the first"
        case .indexCompareOffByOne: return "index simplification (O1+) reads a value range's upper bound as exclusive, deciding i < n always true when i can reach n"
        case .roundHalfAway: return "native code rounds with C's round (ties away from zero) where ONNX rounds ties to even"
        case .integerDivisionFloors: return "native code divides signed integers through double and floors, wrong for inexact quotients of mixed signs"
        }
    }

    /// Where the fault lives: a graph pass, lowering, a loop pass, or the native code generator.
    public var stage: String {
        switch self {
        case .cseIgnoresAttributes, .transposeFoldNotInverse, .constantFoldFloorDivision, .fusionMultiConsumer, .layoutRewriteWrongRank,
             .cseCommutesOperands:
            return "graph pass"
        case .tileRemainderDropped, .vectorTailDropped, .unrollRemainderShort, .reorderWrongStride, .bufferReusedWhileLive,
             .indexCompareOffByOne: return "loop pass"
        case .reductionWrongIdentity, .paddingOffByOne, .broadcastStride, .modNegative, .argTiesLast: return "lowering"
        case .halfRoundingTruncates, .roundHalfAway, .integerDivisionFloors: return "code generation"
        }
    }
}
