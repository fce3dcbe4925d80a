import ArgumentParser
import ModelIR
import Reference
import SpecLib
import TensorCore

/// `graphsmith run MODEL`: runs a model on the reference interpreter.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on the reference interpreter or another backend.",
        discussion: """
            Reads MODEL in the text format (see README.md) or, when its name ends in .onnx, as ONNX; \
            verifies it against the specs and runs it on the float64 reference interpreter, or on \
            the backend --backend names (onnxruntime runs in a Python worker process; \
            onnxruntime-noopt turns its graph optimizations off). Inputs are random from --seed (floats in \
            [-1, 1), signed integers in [-5, 5], unsigned in [0, 5]) unless --inputs gives a tensor \
            bundle: a 'graphsmith-model 1' file with only 'weight' lines, one per model input, named \
            like the inputs. Prints each output's name, type, first 16 values and min/max/mean and \
            NaN/Inf counts, or with --out saves the outputs as a tensor bundle.

            --demo runs a small built-in model, y = Softmax(Relu(x @ W + b)), instead of a file.

            Examples:
              graphsmith run --demo
              graphsmith run model.txt --seed 3
              graphsmith run model.txt --inputs inputs.txt --out outputs.txt
              graphsmith run model.onnx --backend onnxruntime
              graphsmith run model.txt --backend compiler -O3 --executor native
            """
    )

    @OptionGroup var specs: SpecsOptions
    @OptionGroup(title: "Compiler options (with --backend compiler)") var compiler: CompileOptions

    @Argument(help: ArgumentHelp("A model file in the text format.", valueName: "model"))
    var model: String?

    @Flag(help: "Run the built-in demo model instead of a file.")
    var demo = false

    @Option(help: ArgumentHelp("Input tensors (a tensor bundle) instead of random inputs.", valueName: "file"))
    var inputs: String?

    @Option(parsing: .unconditional, help: "Seed of the random inputs (and of the demo model's weights).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("The backend that runs the model: \(BackendChoice.names).", valueName: "name"))
    var backend: BackendChoice = .reference

    @Option(help: ArgumentHelp("Save the outputs to this file (a tensor bundle) instead of printing them.", valueName: "file"))
    var out: String?

    /// Argument combinations ArgumentParser cannot express; checked in `run()` so unknown flags are reported first.
    func checkArguments() throws {
        guard demo != (model != nil) else {
            throw ValidationError(demo ? "give a model file or --demo, not both" : "missing model file (or --demo)")
        }
    }

    func run() throws {
        try checkArguments()
        let library = try specs.loadLibrary()
        let (model, label) = try loadModel(library)
        try asUserError(label) { try Verifier.verify(model, library: library) }
        let values: [String: Tensor]
        if let path = inputs {
            let bundle = try TensorBundle.read(try TextFile.read(path), path: path)
            values = try TensorBundle.inputs(for: model, from: bundle, path: path)
        } else {
            values = model.randomInputs(seed: seed)
        }
        let runner = try backend.make(library, compiler: compiler)
        let results = try asUserError(label) { try runner.run(model, inputs: values) }
        let named = Array(zip(model.outputs, results))
        if let path = out {
            try TextFile.write(TensorBundle.write(named.map { (name: $0.0, value: $0.1) }), to: path)
            Console.out("wrote \(plural(named.count, "output")) of \(label) to \(path)")
            return
        }
        let source = inputs.map { "inputs from \($0)" } ?? "random inputs, seed \(seed)"
        Console.out("\(label) on \(backend.name): \(plural(model.nodes.count, "node")), \(plural(model.inputs.count, "input")), \(plural(model.weights.count, "weight")); \(source)")
        for (name, tensor) in named {
            Console.out("output \(name): \(tensor.type)")
            Console.out(TensorSummary.lines(tensor).joined(separator: "\n"))
        }
    }

    private func loadModel(_ library: SpecLibrary) throws -> (Model, String) {
        if demo {
            let m = try DemoModel.make(library: library, seed: seed)
            Console.out("demo model (weights from seed \(seed)):")
            Console.out(TextWriter.write(m), terminator: "")
            return (m, "demo")
        }
        let path = model!
        return (try asUserError(path) { try ModelFiles.read(path, library: library) }, path)
    }
}
