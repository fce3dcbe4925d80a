import LoopIR
import ModelIR
import SpecLib

/// The operators a kernel backend runs for a model: each fusion group (or node) lowered as the executors lower it.
public enum GroupLowering {
    /// One lowered operator per group of node indices (nil: per node), loop passes applied.
    public static func lower(_ model: Model, library: SpecLibrary, groups: [[Int]]?, options: LoweringOptions) throws -> [LoweredOp] {
        try LoweredModel(model, library: library, groups: groups, options: options).ops
    }
}
