import Backends
import Compiler
import LoopIR
import ModelIR
import Reference
import SpecLib
import TensorCore

/// Compile and run times of one model (`bench compiler`): the reference, the VM and native code at -O3 (compiled
/// each run, and compiled once then only run), and onnxruntime, with speedups over the reference of the same run.
public struct CompilerBenchmark {
    public let library: SpecLibrary
    /// Runs per measurement; the best counts.
    public let repeats: Int
    /// Passes the VM and native code run without.
    public let disabledPasses: Set<String>
    /// onnxruntime when it is installed (nil: left out).
    public let onnxruntime: ExternalBackend?

    public init(library: SpecLibrary, repeats: Int, disabledPasses: Set<String>, onnxruntime: ExternalBackend?) {
        self.library = library
        self.repeats = repeats
        self.disabledPasses = disabledPasses
        self.onnxruntime = onnxruntime
    }

    /// One model's measurements, in milliseconds.
    public struct Row: Encodable, Sendable {
        public var model: String
        public var nodes: Int
        public var compileMs: [String: Double]
        public var runMs: [String: Double]
        public var speedupOverReference: [String: Double]
        /// The work of the model as native code at -O3 lowers it (the same count for every backend).
        public var work: KernelWork
        /// `native-O3 kernels` and `onnxruntime in-process` as rates against `work`.
        public var throughput: [String: Throughput]
    }

    /// Runs of the sub-millisecond in-process measurements: twenty times `repeats`, since one descheduling on a shared
    /// machine is larger than the run.
    var inProcessRepeats: Int { 20 * repeats }

    /// Measures `model` on random inputs (seed 1).
    public func measure(_ name: String, _ model: Model) throws -> Row {
        let inputs = model.randomInputs(seed: 1)
        var compile: [String: Double] = [:], runs: [String: Double] = [:]
        compile["graph-O3"] = try Timing.best(of: 1) { _ = try CompilerBackend(library: library, level: .O3).compile(model) }
        runs["reference"] = try Timing.best(of: repeats) { _ = try Interpreter.outputs(model, library: library, inputs: inputs) }
        let vm = CompilerBackend(library: library, level: .O3, disabledPasses: disabledPasses, executor: .vm)
        runs["vm-O3"] = try Timing.best(of: repeats) { _ = try vm.run(model, inputs: inputs) }
        let native = CompilerBackend(library: library, level: .O3, disabledPasses: disabledPasses, executor: .native)
        // The first native run compiles C (or finds it cached); later runs only load and run it.
        compile["native-O3 (cc, first run)"] = try Timing.best(of: 1) { _ = try native.run(model, inputs: inputs) }
        runs["native-O3"] = try Timing.best(of: repeats) { _ = try native.run(model, inputs: inputs) }
        // Compiled once, then only run: what a deployed compiled model costs per inference.
        let lowered = try native.lower(model)
        let program = try NativeProgram(lowered.ops)
        runs["native-O3 run"] = try Timing.best(of: repeats) { _ = try lowered.run(inputs: inputs) { try program.run(op: $0, inputs: $1) } }
        // The kernels alone, each operator's buffers filled once as a deployed model's are: the figure to set beside
        // onnxruntime's in-process run.
        var stepInputs: [[Tensor]] = []
        _ = try lowered.run(inputs: inputs) { k, values in
            stepInputs.append(values)
            return try program.run(op: k, inputs: values)
        }
        runs["native-O3 kernels"] = try stepInputs.enumerated().reduce(0) { total, step in
            total + (try program.withKernel(op: step.offset, inputs: step.element) { kernel in Timing.best(of: inProcessRepeats, kernel) })
        }
        let ops = lowered.ops  // computed: read once, not per step
        runs["vm-O3 run"] = try Timing.best(of: repeats) { _ = try lowered.run(inputs: inputs) { try VM.run(ops[$0], inputs: $1) } }
        if let ort = onnxruntime {
            _ = try? ort.run(model, inputs: inputs)
            runs["onnxruntime"] = try Timing.best(of: repeats) { _ = try ort.run(model, inputs: inputs) }
            // The host's own clock around onnxruntime's run, the session kept: no export, files or pipe.
            runs["onnxruntime in-process"] = try ort.bestRunMilliseconds(model, inputs: inputs, repeats: inProcessRepeats)
        }
        let speedups = runs.filter { $0.key != "reference" }.mapValues { runs["reference"]! / $0 }
        let work = ops.map(\.work).reduce(KernelWork(), +)
        var throughput: [String: Throughput] = [:]
        for key in ["native-O3 kernels", "onnxruntime in-process"] {
            if let ms = runs[key] { throughput[key] = Throughput(operations: work.operations, bytes: work.bytes, milliseconds: ms) }
        }
        return Row(model: name, nodes: model.nodes.count, compileMs: compile, runMs: runs, speedupOverReference: speedups,
                   work: work, throughput: throughput)
    }
}
