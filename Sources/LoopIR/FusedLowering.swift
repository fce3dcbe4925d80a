import SpecLib
import TensorCore

/// Where an input of a fused group's member comes from.
public enum FusedInput: Hashable, Sendable {
    /// Input `k` of the group.
    case external(Int)
    /// The (single) output of an earlier member.
    case member(Int)
}

/// One operator of a fused group, and where its inputs come from.
public struct FusedMember: Sendable {
    public var instance: OpInstance
    public var inputs: [FusedInput]
    public init(instance: OpInstance, inputs: [FusedInput]) {
        self.instance = instance
        self.inputs = inputs
    }
}

/// Lowers a fused group to one operator: every member's kernels in one loop program, members other than the
/// root kept as stages rounded to their dtype (then `inline-injective-producers` computes them in place).
public enum FusedLowering {
    /// The group as one `LoweredOp`: buffers are the group's inputs, then every member's stages and results;
    /// its outputs are the root's (the last member). A lone member lowers as usual.
    public static func lower(_ members: [FusedMember], inputTypes: [TensorType], options: LoweringOptions) throws -> LoweredOp {
        if members.count == 1, members[0].inputs == inputTypes.indices.map({ .external($0) }) {
            return try Lowering.lower(members[0].instance, options: options)
        }
        var shapes = inputTypes.map(\.shape)
        var kernels: [Kernel] = []
        var results: [Int] = []
        var root = try Lowering.lowerUnscheduled(members[members.count - 1].instance, options: options)
        var rootMap: [Int] = []
        var paths: Set<String> = []
        for (m, member) in members.enumerated() {
            let l = m == members.count - 1 ? root : try Lowering.lowerUnscheduled(member.instance, options: options)
            paths.formUnion(l.paths)
            var map: [Int] = member.inputs.map { source in
                switch source {
                case .external(let e): return e
                case .member(let j): return results[j]
                }
            }
            for b in l.inputCount..<l.bufferShapes.count {
                map.append(shapes.count)
                shapes.append(l.bufferShapes[b])
            }
            let isRoot = m == members.count - 1
            for var k in l.kernels {
                k.target = map[k.target]
                k.body = k.body.renamingBuffers { map[$0] }
                if !isRoot, let dtype = k.dtype {
                    // The value a materialized tensor would hold: rounded (or wrapped) to the member's dtype.
                    k.body = .cast(dtype, k.body)
                    k.dtype = nil
                    k.inlinable = true
                }
                kernels.append(k)
            }
            if isRoot { rootMap = map } else { results.append(map[l.outputBuffers[0]]) }
        }
        root.op = members.map(\.instance.spec.name).joined(separator: "+")
        root.bufferShapes = shapes
        root.inputCount = inputTypes.count
        root.inputTypes = inputTypes
        root.outputBuffers = root.outputBuffers.map { rootMap[$0] }
        root.kernels = kernels
        root.loops = options.variants.loops
        root.rounding = options.effectiveVariants.rounding
        root.emission = options.effectiveVariants.emission
        root.paths = paths
        return LoopPass.run(root, options).recordingCodegenPaths()
    }
}
