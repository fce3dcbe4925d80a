import Backends
import Compiler
import LoopIR
import ModelIR
import SpecLib
import TensorCore

/// How compile time grows with model size (`bench compile-scaling`): element-wise chains of N nodes compiled at
/// each level, timed in this thread's CPU seconds so other work on the machine does not inflate them.
public struct CompileScaling {
    /// The chains measured.
    public enum Chain: String, CaseIterable, Sendable {
        /// `Relu(Relu(...))`: algebraic simplification collapses it to one node (rewriting stress).
        case relu
        /// `Relu(Sigmoid(Tanh(...)))` repeated: no rule applies, so -O3 fuses it whole (fusion and lowering stress).
        case mixed

        /// The operator of node `k`.
        func op(_ k: Int) -> String {
            switch self {
            case .relu: return "Relu"
            case .mixed: return ["Tanh", "Sigmoid", "Relu"][k % 3]
            }
        }
    }

    public let library: SpecLibrary

    public init(library: SpecLibrary) { self.library = library }

    /// One compilation's measurement.
    public struct Row: Encodable, Sendable {
        public var chain: String
        public var nodes: Int
        public var level: String
        /// Nodes after the graph passes and lowered operators (fused groups count once).
        public var nodesAfter: Int
        public var operators: Int
        /// CPU seconds of the graph passes and lowering to loop IR (what `graphsmith compile` does for the VM).
        public var compileCPUSeconds: Double
        /// CPU seconds of one run on the VM of the lowered model, when asked for.
        public var vmRunCPUSeconds: Double?
    }

    /// An `nodes`-node chain of `chain` over one f32[16, 64] input: each node reads the one before it.
    public func model(_ chain: Chain, nodes: Int) throws -> Model {
        let type = TensorType(.f32, [16, 64])
        var model = Model(inputs: [ValueInfo("x", type)])
        var previous = "x"
        for k in 0..<nodes {
            let name = "v\(k)"
            model.nodes.append(Node(op: chain.op(k), inputs: [previous], outputs: [ValueInfo(name, type)]))
            previous = name
        }
        model.outputs = [previous]
        _ = try Verifier.verify(model, library: library)
        return model
    }

    /// Compiles (and with `run`, runs on the VM) an `nodes`-node `chain` at `level`.
    public func measure(_ chain: Chain, nodes: Int, level: OptimizationLevel, run: Bool) throws -> Row {
        let model = try model(chain, nodes: nodes)
        let backend = CompilerBackend(library: library, level: level, executor: .vm)
        var compiled: CompiledModel?
        var lowered: LoweredModel?
        let compileCPU = try Self.cpuSeconds {
            let c = try backend.compile(model)
            lowered = try LoweredModel(c.typed, groups: c.kernelGroups, options: backend.lowering)
            compiled = c
        }
        var runCPU: Double?
        if run, let lowered {
            let inputs = model.randomInputs(seed: 1)
            // Read once: `ops` is computed, and reading it per step would make the run O(N²).
            let ops = lowered.ops
            runCPU = try Self.cpuSeconds {
                _ = try lowered.run(inputs: inputs) { try VM.run(ops[$0], inputs: $1) }
            }
        }
        return Row(chain: chain.rawValue, nodes: nodes, level: "\(level)", nodesAfter: compiled?.model.nodes.count ?? 0,
                   operators: lowered?.ops.count ?? 0, compileCPUSeconds: compileCPU, vmRunCPUSeconds: runCPU)
    }

    /// This thread's CPU seconds spent in `body`.
    static func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Timing.threadCPUMilliseconds()
        try body()
        return (Timing.threadCPUMilliseconds() - start) / 1e3
    }
}
