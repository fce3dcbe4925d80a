import LoopIR

/// One entry of the compiler's pass list.
public struct PassInfo: Sendable, Hashable, Codable {
    /// Which IR the pass transforms.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The model graph (`Pass`, run by `Pipeline`).
        case graph
        /// Lowered kernels (`LoopPass`, run by lowering).
        case loop
        /// A lowering path (`LoweringPath`): switched off, lowering takes its general path instead.
        case lowering
        /// A code-generation path of native code (`LoweringPath`), switched off the same way.
        case codegen
    }

    /// The name that switches the pass off (`--disable-pass`) and names it as a finding's culprit.
    public var name: String
    public var kind: Kind
    /// The lowest optimization level that runs the pass.
    public var level: Int
    /// One line saying what the pass does.
    public var summary: String
}

/// Every pass of the compiler in the order it runs: the graph pipeline's distinct passes, the lowering paths, the
/// loop passes, then the code-generation paths.
///
/// The one list that `passes list`, `--disable-pass` checks and the culprit search read.
public enum PassRegistry {
    /// Every pass, graph passes first, each once, in first-run order.
    public static func all(pipeline: Pipeline = .standard) -> [PassInfo] {
        func path(_ p: LoweringPath) -> PassInfo {
            PassInfo(name: p.name, kind: p.stage == .lowering ? .lowering : .codegen, level: 0, summary: p.summary)
        }
        return pipeline.distinctPasses.map { PassInfo(name: $0.name, kind: .graph, level: $0.level.rawValue, summary: $0.summary) }
            + LoweringPath.all.filter { $0.stage == .lowering }.map(path)
            + LoopPass.all.map { PassInfo(name: $0.name, kind: .loop, level: $0.level, summary: $0.summary) }
            + LoweringPath.all.filter { $0.stage == .codegen }.map(path)
    }

    /// The standard pipeline's pass names, in order.
    public static let names: [String] = all().map(\.name)

    /// The pass named `name`, if any.
    public static func info(_ name: String, pipeline: Pipeline = .standard) -> PassInfo? {
        all(pipeline: pipeline).first { $0.name == name }
    }
}
