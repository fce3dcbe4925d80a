/// The fault registry of the loop IR: each `Fault` that acts in lowering, a loop pass or code generation is one
/// piece of `LoweringVariants` replaced by its faulty variant. The rest of the loop IR only runs the variants it is
/// given, so this is the one place that knows which faults exist. (Graph-pass faults act in the Compiler target.)
extension LoweringVariants {
    /// The correct variants with each fault of `faults` injected.
    public init(injecting faults: Set<Fault>) {
        self.init()
        for f in faults { inject(f) }
    }

    /// Replaces the piece `fault` breaks by its faulty variant.
    public mutating func inject(_ fault: Fault) {
        switch fault {
        case .tileRemainderDropped: loops.tile = .tileDroppingRemainder
        case .vectorTailDropped: loops.vectorize = .vectorizeDroppingTail
        case .unrollRemainderShort: loops.unroll = .unrollWithShortRemainder
        case .reorderWrongStride: loops.reorder = .swapInnermostWithSwappedStrides
        case .reductionWrongIdentity: rules.extremumStart = .zero
        case .paddingOffByOne: rules.paddedLimit = .onePastSize
        case .modNegative: rules.modulo = .floorModulo
        case .broadcastStride: rules.broadcastIndex = .readerIndex
        case .halfRoundingTruncates: rounding = .towardZero
        case .bufferReusedWhileLive: liveness = .firstReader
        case .argTiesLast: rules.argTies = .lastIndex
        case .indexCompareOffByOne: comparison = .upperBoundExclusive
        case .roundHalfAway: emission.round = .roundHalfAway
        case .integerDivisionFloors: emission.signedDivision = .flooredThroughDouble
        case .cseIgnoresAttributes, .transposeFoldNotInverse, .constantFoldFloorDivision, .fusionMultiConsumer, .layoutRewriteWrongRank,
             .cseCommutesOperands:
            break
        }
    }
}

extension LoweringOptions {
    /// Options at `level` without `disabledPasses`, with `faults` injected through the registry.
    public init(level: Int = 0, disabledPasses: Set<String> = [], faults: Set<Fault>) {
        self.init(level: level, disabledPasses: disabledPasses, variants: LoweringVariants(injecting: faults))
    }
}
